package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.rules.RuleModel;
import io.github.captum4j.core.rules.internal.DeepLiftPass;
import io.github.captum4j.attr.internal.ShapPairs;

/**
 * DeepLift SHAP: {@link DeepLift} of each input against every sample of a baseline distribution,
 * averaged, \( A_i(x) = \frac{1}{S} \sum_{s=1}^{S} \mathrm{DeepLift}_i(x; x'_s) \), an
 * approximation of SHAP values for models that are piecewise linear in the DeepLift sense.
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>.
 *
 * <p>Inputs: floating-point {@code (N, ...)}; baselines: a {@link
 * io.github.captum4j.core.Baselines#distribution distribution} of {@code S} samples per input
 * {@code (S, ...)} (tensors are read as distributions too). Output: one tensor per input of its
 * shape; delta: one per (example, sample), {@code (N * S)}, example-major, as Captum. Runs one
 * DeepLift pass on a batch of {@code 2 N S}.
 *
 * <pre>{@code
 * DeepLiftShap dls = new DeepLiftShap(model.forwardFunction());
 * Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(references));
 * try (Attribution a = dls.attribute(in, Target.index(0))) { ... }
 * }</pre>
 */
public final class DeepLiftShap extends GradientAttribution<DeepLift.Options> {

    private final DeepLiftRules rules;

    /**
     * DeepLift SHAP of a Block model, multiplied by inputs, with Captum's {@code eps}.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     */
    public DeepLiftShap(ForwardFunction forwardFunction) {
        this(forwardFunction, true, DeepLift.DEFAULT_EPS, true);
    }

    /**
     * DeepLift SHAP of a Block model.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @param eps Captum's {@code eps} of the Rescale rule
     * @param captumHookOrder as for {@link DeepLift#DeepLift(ForwardFunction, boolean, float,
     *     boolean)}
     * @throws IllegalArgumentException if the model is not a Block model or eps is not positive
     */
    public DeepLiftShap(
            ForwardFunction forwardFunction,
            boolean multiplyByInputs,
            float eps,
            boolean captumHookOrder) {
        super(
                completeness("DeepLiftShap", DeepLift.Options.DEFAULTS, multiplyByInputs),
                forwardFunction);
        this.rules =
                DeepLiftRules.of(forwardFunction, name(), multiplyByInputs, eps, captumHookOrder);
    }

    @Override
    Result compute(Inputs inputs, Target target, DeepLift.Options options, NDManager scratch) {
        DeepLiftPass.Expanded e = ShapPairs.of(inputs, target, scratch);
        RuleGradients.DeepLiftResult r =
                rules.attribute(options, e.inputs(), e.baselines(), e.args(), e.target());
        return new Result(e.meanOverSamples(r.attributions()), r.delta());
    }
}
