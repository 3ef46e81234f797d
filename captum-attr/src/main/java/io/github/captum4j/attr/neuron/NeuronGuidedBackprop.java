package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Neuron guided backpropagation: the gradient of one neuron of a hidden layer with respect to the
 * inputs, each ReLU before it passing back only positive gradients, \( R^{(l)} = \mathbb{1}[x^{(l)}
 * > 0] \max(0, R^{(l+1)}) \).
 *
 * <p>Springenberg, Dosovitskiy, Brox and Riedmiller, "Striving for Simplicity: The All
 * Convolutional Net", 2014, <a href="https://arxiv.org/abs/1412.6806">arXiv:1412.6806</a>.
 *
 * <p>The model must be a Block model ({@link io.github.captum4j.core.rules.RuleModel}); the rules
 * of {@link GuidedBackprop} apply to every module before the neuron. Inputs: floating-point {@code
 * (N, ...)}; no baselines; target {@link Target#none()}. Output: one tensor per input, of its
 * shape.
 *
 * <pre>{@code
 * NeuronGuidedBackprop m = new NeuronGuidedBackprop(model, LayerPath.of("conv2"));
 * try (Attribution a = m.attribute(Inputs.of(x), NeuronSelector.index(3, 4, 4))) { ... }
 * }</pre>
 */
public final class NeuronGuidedBackprop extends NeuronRuleMethod {

    /**
     * The method on a neuron of a layer.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public NeuronGuidedBackprop(LayerAccess model, LayerPath layer) {
        super(Primary.GUIDED_BACKPROP, model, layer, false);
    }
}
