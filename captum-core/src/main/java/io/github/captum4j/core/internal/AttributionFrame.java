package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

/**
 * The frame of one {@code attribute} call, shared by every algorithm family: argument checks, the
 * scratch sub-manager, borrowing the caller's arrays, and handing the result back to the caller's
 * manager. An algorithm supplies only its computation.
 *
 * <p>Not API: may change without notice.
 */
public final class AttributionFrame {

    /**
     * What a computation returns.
     *
     * @param attributions one tensor per input (or per layer)
     * @param delta the convergence delta, or {@code null}
     */
    public record Result(NDList attributions, NDArray delta) {}

    /** The computation of one call, run inside the scratch manager. */
    @FunctionalInterface
    public interface Body {
        /**
         * Computes the attributions.
         *
         * @param scratch the per-call manager (the caller's arrays are borrowed into it)
         * @return attributions and optional delta, in {@code scratch}
         */
        Result compute(NDManager scratch);
    }

    /** What a method requires of its input tensors. */
    public enum InputRequirement {
        /** Any tensors (perturbation methods). */
        ANY,
        /** Finite values, any type (methods that take gradients elsewhere, e.g. at a layer). */
        FINITE,
        /** Finite floating-point values (methods that take gradients w.r.t. the inputs). */
        FINITE_FLOATING
    }

    private AttributionFrame() {}

    /**
     * Runs one call.
     *
     * @param name the method's display name
     * @param options the options record the call runs with
     * @param inputs the caller's inputs
     * @param target the target
     * @param usesBaselines whether the method reads baselines (others reject non-zero ones)
     * @param requirement what the inputs must be
     * @param body the computation
     * @return the attribution, attached to the caller's manager
     */
    public static Attribution run(
            String name,
            Record options,
            Inputs inputs,
            Target target,
            boolean usesBaselines,
            InputRequirement requirement,
            Body body) {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(options, "options");
        Targets.validate(target, inputs.batchSize());
        if (requirement == InputRequirement.FINITE_FLOATING) {
            Gradients.requireFloatingPoint(inputs.tensors(), name);
        }
        Checks.argument(
                usesBaselines || inputs.baselines() instanceof Baselines.Zeros,
                "baselines: %s does not use baselines, got %s",
                name,
                inputs.baselines());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            if (requirement != InputRequirement.ANY) {
                Gradients.requireFinite(inputs.tensors(), name);
            }
            Result r = body.compute(scratch);
            return new Attribution(
                    name,
                    options,
                    Scope.handOver(caller, r.attributions()),
                    Scope.handOver(caller, r.delta()));
        }
    }
}
