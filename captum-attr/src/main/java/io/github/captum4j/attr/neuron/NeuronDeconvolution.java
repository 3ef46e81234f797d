package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.Deconvolution;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Neuron deconvolution: the gradient of one neuron of a hidden layer with respect to the inputs,
 * each ReLU before it passing back the positive part of its output gradient, \( R^{(l)} = \max(0,
 * R^{(l+1)}) \).
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", 2013, <a
 * href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>.
 *
 * <p>The model must be a Block model ({@link io.github.captum4j.core.rules.RuleModel}); the rules
 * of {@link Deconvolution} apply to every module before the neuron. Inputs: floating-point {@code
 * (N, ...)}; no baselines; target {@link Target#none()}. Output: one tensor per input, of its
 * shape.
 *
 * <pre>{@code
 * NeuronDeconvolution m = new NeuronDeconvolution(model, LayerPath.of("conv2"));
 * try (Attribution a = m.attribute(Inputs.of(x), NeuronSelector.index(3, 4, 4))) { ... }
 * }</pre>
 */
public final class NeuronDeconvolution extends NeuronRuleMethod {

    /**
     * The method on a neuron of a layer.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public NeuronDeconvolution(LayerAccess model, LayerPath layer) {
        super(Primary.DECONVOLUTION, model, layer, false);
    }
}
