package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Neuron DeepLift: DeepLift (Rescale rule) of one neuron of a hidden layer with respect to the
 * inputs, \( A_i = (x_i - x'_i)\, m_i \) with \( m \) the neuron's DeepLift multipliers.
 *
 * <p>Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation
 * Differences", 2017, <a href="https://arxiv.org/abs/1704.02685">arXiv:1704.02685</a>.
 *
 * <p>The model must be a Block model ({@link io.github.captum4j.core.rules.RuleModel}); the rules
 * of {@link DeepLift} apply to every module before the neuron. Inputs: floating-point {@code (N,
 * ...)}; baselines per {@link io.github.captum4j.core.Baselines}; target {@link Target#none()}.
 * Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * NeuronDeepLift m = new NeuronDeepLift(model, LayerPath.of("conv2"));
 * try (Attribution a = m.attribute(Inputs.of(x), NeuronSelector.index(3, 4, 4))) { ... }
 * }</pre>
 */
public final class NeuronDeepLift extends NeuronRuleMethod {

    /**
     * The method on a neuron of a layer, multiplied by inputs (Captum's default).
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     */
    public NeuronDeepLift(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * The method on a neuron of a layer.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public NeuronDeepLift(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(Primary.DEEP_LIFT, model, layer, multiplyByInputs);
    }
}
