package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.RuleModel;
import io.github.captum4j.core.rules.internal.DeepLiftPass;
import io.github.captum4j.attr.internal.ShapPairs;


/**
 * Layer DeepLift SHAP: {@link LayerDeepLift} against every sample of a baseline distribution,
 * averaged, \( A = \frac{1}{S} \sum_{s} (a_\ell(x) - a_\ell(x'_s))\, m_\ell(x; x'_s) \).
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>. The model must be a Block model
 * ({@link RuleModel}).
 *
 * <p>Inputs: floating-point {@code (N, ...)}; baselines: a {@link
 * io.github.captum4j.core.Baselines#distribution distribution} of {@code S} samples per input.
 * Output: one tensor of the layer value's shape; delta one per (example, sample), {@code (N S)}.
 *
 * <pre>{@code
 * LayerDeepLiftShap l = new LayerDeepLiftShap(model, LayerPath.of("fc1"));
 * Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(references));
 * try (Attribution a = l.attribute(in, Target.index(0))) { ... }
 * }</pre>
 */
public final class LayerDeepLiftShap extends LayerMethod<LayerDeepLift.Options> {

    private final LayerDeepLift deepLift;

    /**
     * Layer DeepLift SHAP, multiplied by the layer difference (Captum's default).
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     */
    public LayerDeepLiftShap(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * Layer DeepLift SHAP.
     *
     * @param model the model; must be a Block model
     * @param layer the layer
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public LayerDeepLiftShap(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(
                completeness("Layer DeepLiftShap", LayerDeepLift.Options.DEFAULTS, multiplyByInputs),
                model,
                layer);
        this.deepLift = new LayerDeepLift("Layer DeepLiftShap", model, layer, multiplyByInputs);
    }

    @Override
    Result compute(Inputs inputs, Target target, LayerDeepLift.Options options, NDManager scratch) {
        DeepLiftPass.Expanded e = ShapPairs.of(inputs, target, scratch);
        Result r = deepLift.attribute(e.inputs(), e.baselines(), e.args(), e.target(), options);
        return new Result(e.meanOverSamples(r.attributions()), r.delta());
    }
}
