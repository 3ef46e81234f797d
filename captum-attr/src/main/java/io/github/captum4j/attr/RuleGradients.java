package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Targets;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.internal.DeepLiftPass;
import io.github.captum4j.core.rules.internal.RuleBackward;
import io.github.captum4j.core.rules.RuleModel;

import java.util.List;

/**
 * The computations the rule-based methods of this package share: gradients of the target under a
 * composite, and DeepLift's attributions from its pass.
 */
final class RuleGradients {

    private RuleGradients() {}

    /** DeepLift's attributions and the per-example convergence delta. */
    record DeepLiftResult(NDList attributions, NDArray delta) {}

    /**
     * Gradients of the target with respect to the inputs, with the composite's rules.
     *
     * @param model the model
     * @param composite the rules
     * @param inputs the inputs
     * @param args additional forward arguments
     * @param target the target
     * @return one gradient per input
     */
    static NDList gradients(
            RuleModel model, Composite composite, NDList inputs, List<Object> args, Target target) {
        return RuleBackward.run(
                        model,
                        inputs,
                        args,
                        composite,
                        List.of(),
                        false,
                        true,
                        (out, layers) -> Targets.select(out, target))
                .inputGradients();
    }

    /**
     * DeepLift of inputs against baselines of the same shape ({@link DeepLiftPass}).
     *
     * @param model the model
     * @param composite DeepLift's rules
     * @param multiplyByInputs whether to multiply the multipliers by {@code x - x'}
     * @param function Captum's {@code custom_attribution_func}, or {@code null}
     * @param x inputs {@code (N, ...)}
     * @param baselines baselines of the inputs' shapes
     * @param args additional forward arguments
     * @param target the target
     * @param delta whether to compute the convergence delta
     * @return attributions per input and the delta (or {@code null})
     */
    static DeepLiftResult deepLift(
            RuleModel model,
            Composite composite,
            boolean multiplyByInputs,
            CustomAttributionFunction function,
            NDList x,
            NDList baselines,
            List<Object> args,
            Target target,
            boolean delta) {
        DeepLiftPass.Result r =
                DeepLiftPass.run(model, composite, x, baselines, args, target, List.of(), false);
        NDList attributions =
                CustomAttributionFunction.attributions(
                        function, multiplyByInputs, r.multipliers(), x, baselines);
        NDArray d = delta ? Convergence.sumPerExample(attributions).sub(r.outputGap()) : null;
        return new DeepLiftResult(attributions, d);
    }
}
