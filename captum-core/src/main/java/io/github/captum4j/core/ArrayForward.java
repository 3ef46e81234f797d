package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;
import java.util.List;

/**
 * A black-box model evaluated on JVM arrays: one float32 input {@code (B, rest...)} given flat in
 * row-major order, one output {@code (B, ...)} returned the same way. A scorer written in Java, a
 * model behind an RPC, or the formatted prompts of an LLM attribution are such models.
 *
 * <p>Every perturbation method accepts it as an ordinary black-box {@link ForwardFunction}.
 * FeatureAblation on one float32 input without additional arguments goes further: it builds the
 * perturbed rows, selects the targets and sums the attributions on JVM arrays around {@link
 * #forwardArray}, so the perturbations of a small problem cost no engine call each (same passes,
 * same rows, same numbers as the tensor path).
 *
 * <pre>{@code
 * ArrayForward scorer = (rows, shape) -> {          // rows: (B, 3), flat
 *     int b = (int) shape[0];
 *     float[] out = new float[b];
 *     for (int r = 0; r < b; r++) {
 *         out[r] = 2 * rows[3 * r] - rows[3 * r + 2];
 *     }
 *     return new ArrayForward.Output(out, b);
 * };
 * try (Attribution a = new FeatureAblation(scorer).attribute(Inputs.of(x), Target.none())) {
 *     float[] map = a.attribution(0).toFloatArray();
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ArrayForward extends ForwardFunction {

    /**
     * A model output on the JVM.
     *
     * @param values the output values, flat, row-major
     * @param shape the output shape, batch in dimension 0; its size is {@code values.length}
     */
    record Output(float[] values, long... shape) {
        /** Validates that the shape holds the values. */
        public Output {
            Checks.notNull(values, "values");
            Checks.notNull(shape, "shape");
            Checks.argument(shape.length >= 1, "shape must have the batch in dimension 0, got []");
            long size = 1;
            for (long d : shape) {
                Checks.argument(d >= 0, "shape must not hold negative sizes, got %s", Arrays.toString(shape));
                size *= d;
            }
            Checks.argument(
                    size == values.length,
                    "shape %s holds %s values, got %s values",
                    Arrays.toString(shape),
                    size,
                    values.length);
        }
    }

    /**
     * Runs the model on rows given as JVM values.
     *
     * @param rows the input rows, flat, row-major (the library's own array: read it, keep nothing)
     * @param shape the input shape {@code (B, rest...)}
     * @return the output, one row per input row
     */
    Output forwardArray(float[] rows, long[] shape);

    /**
     * Reads the one input into the JVM, runs {@link #forwardArray} and returns its output as an
     * array in the input's manager.
     *
     * @param inputs exactly one input tensor
     * @param additionalArgs must be empty
     * @return the output
     * @throws IllegalArgumentException for more than one input or any additional argument
     */
    @Override
    default NDArray forward(NDList inputs, List<Object> additionalArgs) {
        Checks.argument(
                inputs.size() == 1,
                "an ArrayForward takes one input tensor, got %s inputs",
                inputs.size());
        Checks.argument(
                additionalArgs.isEmpty(),
                "an ArrayForward takes no additional forward arguments, got %s",
                additionalArgs.size());
        NDArray x = inputs.get(0);
        Output out = forwardArray(x.toType(DataType.FLOAT32, false).toFloatArray(), x.getShape().getShape());
        if (out == null) {
            throw new AttributionException("the forward function returned null");
        }
        return x.getManager().create(out.values(), new Shape(out.shape()));
    }

    /**
     * A black box: no gradients.
     *
     * @return {@code false}
     */
    @Override
    default boolean isDifferentiable() {
        return false;
    }
}
