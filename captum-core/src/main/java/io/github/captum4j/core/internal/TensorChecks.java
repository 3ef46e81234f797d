package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.AttributionException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Checks of tensor values around a method call: inputs floating point where gradients are taken,
 * inputs finite, and attributions of finite inputs finite. Each names the method and the input in
 * its message.
 *
 * <p>Not API: may change without notice.
 */
public final class TensorChecks {

    private TensorChecks() {}

    /**
     * Checks that inputs are floating point, as gradients require.
     *
     * @param inputs the inputs
     * @param method the method's name, for the message
     */
    public static void requireFloatingPoint(NDList inputs, String method) {
        for (int i = 0; i < inputs.size(); i++) {
            DataType t = inputs.get(i).getDataType();
            Checks.argument(
                    t.isFloating(),
                    "inputs[%s] must be floating point for %s (a gradient method), got %s; for"
                            + " integer inputs such as token ids attribute to an embedding layer"
                            + " instead",
                    i,
                    method,
                    t);
        }
    }

    /**
     * Checks that floating-point inputs hold no NaN or infinity, whose gradients are meaningless.
     * One reduction per input: {@code max(|x|)} is finite exactly when every element is.
     *
     * @param inputs the inputs
     * @param method the method's name, for the message
     */
    public static void requireFinite(NDList inputs, String method) {
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            if (!x.getDataType().isFloating() || x.size() == 0) {
                continue;
            }
            double m = x.abs().max().toType(DataType.FLOAT64, false).getDouble();
            Checks.argument(
                    Double.isFinite(m),
                    "inputs[%s] must be finite for %s, got NaN or infinite values (shape %s)",
                    i,
                    method,
                    x.getShape());
        }
    }

    /**
     * Fails when an attribution of finite inputs is NaN or infinite (say, NaN in an output column
     * other than the target's, reaching the gradients), naming the method and the input. It reads
     * the values the hand-over to the caller reads anyway ({@link Scope#read}): float32 and float64
     * results are checked in Java, with no engine call; other floating types by one reduction on
     * the engine.
     *
     * @param attributions the attributions, one per input
     * @param values their values, in native byte order
     * @param method the method's name
     * @throws AttributionException when one is not finite
     */
    public static void requireFiniteResults(
            NDList attributions, List<ByteBuffer> values, String method) {
        for (int i = 0; i < attributions.size(); i++) {
            NDArray a = attributions.get(i);
            if (a != null && a.getDataType().isFloating() && !finite(a, values.get(i))) {
                throw new AttributionException(
                        String.format(
                                "%s: the attribution of input %d (shape %s) has NaN or infinite"
                                        + " values although the inputs are finite: the model's"
                                        + " output or its gradient is not finite",
                                method,
                                i,
                                Checks.shape(a.getShape())));
            }
        }
    }

    private static boolean finite(NDArray a, ByteBuffer values) {
        ByteBuffer b = values.duplicate().rewind().order(ByteOrder.nativeOrder());
        if (a.getDataType() == DataType.FLOAT32) {
            FloatBuffer f = b.asFloatBuffer();
            return none(f.limit(), k -> !Float.isFinite(f.get(k)));
        }
        if (a.getDataType() == DataType.FLOAT64) {
            DoubleBuffer d = b.asDoubleBuffer();
            return none(d.limit(), k -> !Double.isFinite(d.get(k)));
        }
        return !a.isNaN().logicalOr(a.isInfinite()).any().getBoolean();
    }

    private static boolean none(int count, IntPredicate bad) {
        for (int k = 0; k < count; k++) {
            if (bad.test(k)) {
                return false;
            }
        }
        return true;
    }
}
