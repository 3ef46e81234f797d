package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The frame of one {@code attribute} call, shared by every algorithm of every family (primary,
 * layer, neuron, rule-based, NoiseTunnel): the argument checks that follow from the method's {@link
 * MethodInfo} (options present, target against the batch, input types and values, baselines only
 * where used), the scratch sub-manager, borrowing the caller's arrays, and handing the result back
 * to the caller's manager under the call's {@link Provenance}. An algorithm supplies only its
 * computation, so a check added here reaches every method.
 *
 * <p>Not API: may change without notice.
 */
public final class AttributionFrame {

    /**
     * What a computation returns: the one result type of every family.
     *
     * @param attributions one tensor per input (or per layer)
     * @param delta the convergence delta, or {@code null}
     */
    public record Result(NDList attributions, NDArray delta) {

        /**
         * Attributions without a delta.
         *
         * @param attributions one tensor per input (or per layer)
         * @return the result
         */
        public static Result of(NDList attributions) {
            return new Result(attributions, null);
        }

        /**
         * The arrays of another method's result (a method built on another); the attribution object
         * itself is dropped without closing its arrays, which the frame hands over.
         *
         * @param a the other method's result
         * @return the result
         */
        public static Result of(Attribution a) {
            return new Result(a.attributions(), a.convergenceDelta().orElse(null));
        }
    }

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

    private AttributionFrame() {}

    /** Closed arrays or a closed manager fail here, not as "native resource released" deep inside. */
    private static void requireOpen(Inputs inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            Checks.argument(
                    !inputs.get(i).isReleased(),
                    "inputs[%s] is closed: its native memory was released",
                    i);
        }
        Checks.argument(
                inputs.manager().isOpen(), "inputs' manager is closed: attach them to an open one");
        Baselines b = inputs.baselines();
        List<?> values =
                b instanceof Baselines.PerInput p
                        ? p.values()
                        : b instanceof Baselines.Distribution d ? d.samples() : List.of();
        for (int i = 0; i < values.size(); i++) {
            Checks.argument(
                    !(values.get(i) instanceof NDArray a) || !a.isReleased(),
                    "baselines[%s] is closed: its native memory was released",
                    i);
        }
        List<Object> args = inputs.additionalArgs();
        for (int i = 0; i < args.size(); i++) {
            Checks.argument(
                    !(args.get(i) instanceof NDArray a) || !a.isReleased(),
                    "additionalArgs[%s] is closed: its native memory was released",
                    i);
        }
    }

    /** NaN or infinite baselines make every path point and difference meaningless: say so. */
    private static void requireFiniteBaselines(Baselines b, String method) {
        List<?> values =
                b instanceof Baselines.Scalar s
                        ? List.of(s.value())
                        : b instanceof Baselines.PerInput p
                                ? p.values()
                                : b instanceof Baselines.Distribution d ? d.samples() : List.of();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            boolean finite =
                    v instanceof Number n
                            ? Double.isFinite(n.doubleValue())
                            : !(v instanceof NDArray a)
                                    || !a.getDataType().isFloating()
                                    || a.size() == 0
                                    || Double.isFinite(
                                            a.abs().max().toType(DataType.FLOAT64, false).getDouble());
            Checks.argument(
                    finite,
                    "baselines must be finite for %s, got NaN or infinite values in %s",
                    method,
                    b instanceof Baselines.Scalar ? "the scalar baseline" : "baselines[" + i + "]");
        }
    }

    /**
     * Runs one call.
     *
     * @param p the call: method, options, target (and layers, neuron), recorded in the result
     * @param inputs the caller's inputs
     * @param body the computation
     * @return the attribution, attached to the caller's manager
     */
    public static Attribution run(Provenance p, Inputs inputs, Body body) {
        Checks.notNull(inputs, "inputs");
        requireOpen(inputs);
        return CallShapes.during(inputs, () -> compute(p, inputs, body));
    }

    private static Attribution compute(Provenance p, Inputs inputs, Body body) {
        MethodInfo<?> info = p.method();
        Targets.validate(p.target(), inputs.batchSize());
        if (!info.acceptsIntegerInputs()) {
            TensorChecks.requireFloatingPoint(inputs.tensors(), info.name());
        }
        Checks.argument(
                info.usesBaselines() || inputs.baselines() instanceof Baselines.Zeros,
                "baselines: %s does not use baselines, got %s",
                info.name(),
                inputs.baselines());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            if (!info.acceptsNonFiniteInputs()) {
                TensorChecks.requireFinite(inputs.tensors(), info.name());
                requireFiniteBaselines(inputs.baselines(), info.name());
            }
            Result r = body.compute(scratch);
            // One read of each result serves both the finiteness check and the hand-over.
            List<ByteBuffer> values = Scope.read(r.attributions());
            if (!info.acceptsNonFiniteInputs()) {
                TensorChecks.requireFiniteResults(r.attributions(), values, info.name());
            }
            return new Attribution(
                    p,
                    Scope.handOver(caller, r.attributions(), values),
                    Scope.handOver(caller, r.delta()));
        } finally {
            Scope.endCall();
        }
    }
}
