package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.AttributionException;

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
     * other than the target's, reaching the gradients), naming the method and the input.
     *
     * @param attributions the attributions, one per input
     * @param method the method's name
     * @throws AttributionException when one is not finite
     */
    public static void requireFiniteResults(NDList attributions, String method) {
        for (int i = 0; i < attributions.size(); i++) {
            NDArray a = attributions.get(i);
            boolean floating = a.getDataType().isFloating();
            if (floating && a.isNaN().logicalOr(a.isInfinite()).any().getBoolean()) {
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
}
