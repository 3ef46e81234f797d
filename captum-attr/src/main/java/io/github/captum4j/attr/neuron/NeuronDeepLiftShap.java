package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.DeepLiftShap;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Neuron DeepLift SHAP: {@link NeuronDeepLift} against every sample of a baseline distribution,
 * averaged, \( A_i = \frac{1}{S} \sum_s (x_i - x'_{s,i})\, m_i(x; x'_s) \).
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>.
 *
 * <p>The model must be a Block model ({@link io.github.captum4j.core.rules.RuleModel}); the rules
 * of {@link DeepLiftShap} apply to every module before the neuron. Inputs: floating-point {@code
 * (N, ...)}; baselines a {@link io.github.captum4j.core.Baselines#distribution distribution};
 * target {@link Target#none()}. Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * NeuronDeepLiftShap m = new NeuronDeepLiftShap(model, LayerPath.of("conv2"));
 * try (Attribution a = m.attribute(Inputs.of(x), NeuronSelector.index(3, 4, 4))) { ... }
 * }</pre>
 */
public final class NeuronDeepLiftShap extends NeuronRuleMethod {

    /**
     * The method on a neuron of a layer, multiplied by inputs (Captum's default).
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     */
    public NeuronDeepLiftShap(LayerAccess model, LayerPath layer) {
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
    public NeuronDeepLiftShap(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(Primary.DEEP_LIFT_SHAP, model, layer, multiplyByInputs);
    }
}
