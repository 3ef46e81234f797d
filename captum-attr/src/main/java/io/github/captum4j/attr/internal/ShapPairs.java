package io.github.captum4j.attr.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.rules.internal.DeepLiftPass;

/**
 * The SHAP pairs of DeepLiftShap and Layer DeepLiftShap (not API): the baselines are a distribution
 * of {@code S} samples and every example is paired with every sample, so that one DeepLift pass
 * attributes the {@code N·S} pairs; an example's attribution is then the mean over its pairs
 * ({@link DeepLiftPass.Expanded#meanOverSamples}):
 *
 * <p>\( \phi_i(x) = \frac{1}{S} \sum_{s=1}^{S} \mathrm{DeepLift}_i(x, b_s) \)
 *
 * <pre>{@code
 * DeepLiftPass.Expanded e = ShapPairs.of(inputs, target, scratch);
 * Result r = deepLift.attribute(e.inputs(), e.baselines(), e.args(), e.target(), options);
 * return new Result(e.meanOverSamples(r.attributions()), r.delta());
 * }</pre>
 */
public final class ShapPairs {

    private ShapPairs() {}

    /**
     * Pairs every example with every sample of the baseline distribution.
     *
     * @param inputs the call's inputs {@code (N, ...)}; their baselines are the distribution
     *     {@code (S, ...)}
     * @param target the call's target
     * @param scratch the per-call manager
     * @return the inputs repeated per sample and the samples tiled per example, {@code (N S,
     *     ...)}, with the arguments and target expanded the same way
     */
    public static DeepLiftPass.Expanded of(Inputs inputs, Target target, NDManager scratch) {
        NDList samples =
                BaselineExpansion.distribution(inputs.baselines(), inputs.tensors(), scratch);
        return DeepLiftPass.expand(inputs.tensors(), samples, inputs.additionalArgs(), target);
    }
}
