package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.internal.Targets;

/**
 * The frame shared by the gradient methods of this package: argument checks, the scratch
 * manager, borrowing the caller's arrays and handing the result back.
 */
final class GradientMethods {

    /** The body of one call, run inside the scratch manager. */
    @FunctionalInterface
    interface Body {
        /**
         * Computes the attributions.
         *
         * @param inputs the caller's inputs, borrowed into {@code scratch}
         * @param scratch the per-call manager
         * @return attributions and optional delta, in {@code scratch}
         */
        Result run(Inputs inputs, NDManager scratch);
    }

    /**
     * What a body returns.
     *
     * @param attributions one per input
     * @param delta the convergence delta, or null
     */
    record Result(NDList attributions, ai.djl.ndarray.NDArray delta) {}

    private GradientMethods() {}

    /**
     * Checks a forward function at construction.
     *
     * @param f the forward function
     * @param method the method's name
     * @return f
     */
    static ForwardFunction requireDifferentiable(ForwardFunction f, String method) {
        Checks.notNull(f, "forwardFunction");
        Checks.argument(
                f.isDifferentiable(),
                "forwardFunction must be differentiable for %s (a gradient method), got a black"
                        + " box; use a perturbation method or wrap a DJL Block / TorchScript model",
                method);
        return f;
    }

    /**
     * Runs one attribution call.
     *
     * @param method the method's display name
     * @param options the options record (for the result)
     * @param inputs the inputs
     * @param target the target
     * @param usesBaselines whether the method uses baselines (others reject non-zero ones)
     * @param body the computation
     * @return the attribution, attached to the caller's manager
     */
    static Attribution run(
            String method,
            Record options,
            Inputs inputs,
            Target target,
            boolean usesBaselines,
            Body body) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(options, "options");
        Targets.validate(target, inputs.batchSize());
        Gradients.requireFloatingPoint(inputs.tensors(), method);
        Checks.argument(
                usesBaselines || inputs.baselines() instanceof io.github.captum4j.core.Baselines.Zeros,
                "baselines: %s does not use baselines, got %s",
                method,
                inputs.baselines());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            Result r = body.run(inputs, scratch);
            return new Attribution(
                    method,
                    options,
                    Scope.handOver(caller, r.attributions()),
                    Scope.handOver(caller, r.delta()));
        }
    }
}
