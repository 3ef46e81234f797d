package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

import java.util.List;

/**
 * DeepLift as DeepLift and DeepLiftShap both run it (not API): a Block model under the Rescale
 * rule (Captum's {@code eps} and hook order), the multipliers of one pass over inputs and
 * baselines, multiplied by \( x - x' \) or handed to the custom attribution function. The two
 * methods differ only in the baselines they hand in: one per example, or every sample of a
 * distribution.
 *
 * @param model the Block model
 * @param composite the rules
 * @param multiplyByInputs Captum's {@code multiply_by_inputs}
 */
record DeepLiftRules(RuleModel model, Composite composite, boolean multiplyByInputs) {

    /**
     * The rules of a method; checks the model and {@code eps}.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param method the method's name, for errors
     * @param multiplyByInputs Captum's {@code multiply_by_inputs}
     * @param eps Captum's {@code eps}, {@code > 0}
     * @param captumHookOrder Captum's hook order, as for {@link DeepLift#DeepLift(ForwardFunction,
     *     boolean, float, boolean)}
     * @return the rules
     * @throws IllegalArgumentException if the model is not a Block model or eps is not positive
     */
    static DeepLiftRules of(
            ForwardFunction forwardFunction,
            String method,
            boolean multiplyByInputs,
            float eps,
            boolean captumHookOrder) {
        RuleModel model = RuleModel.of(forwardFunction, method);
        return new DeepLiftRules(
                model, DeepLift.composite(eps, captumHookOrder), multiplyByInputs);
    }

    /**
     * Attributions (and the delta if the options ask for it) of one pass.
     *
     * @param options the call's options
     * @param x inputs {@code (N, ...)}
     * @param baselines baselines of the inputs' shapes
     * @param args additional forward arguments, of the inputs' rows
     * @param target the target, of the inputs' rows
     * @return attributions per input and the delta (or {@code null})
     */
    RuleGradients.DeepLiftResult attribute(
            DeepLift.Options options,
            NDList x,
            NDList baselines,
            List<Object> args,
            Target target) {
        return RuleGradients.deepLift(
                model,
                composite,
                multiplyByInputs,
                options.customAttributionFunc(),
                x,
                baselines,
                args,
                target,
                options.returnConvergenceDelta());
    }
}
