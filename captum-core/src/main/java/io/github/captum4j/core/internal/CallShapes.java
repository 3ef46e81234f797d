package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The caller's input shapes of the attribution call running on this thread, so that a message
 * raised deep inside, where the model runs on expanded batches (path steps, noise samples,
 * perturbed copies), quotes the shapes the caller passed and never the internal ones: an IG call
 * on a {@code (2, 4)} input reports {@code (2, 4)}, not the {@code (100, 4)} of its 50 steps. The
 * outermost call on the thread is the caller's (NoiseTunnel's inner method sees only noisy copies).
 *
 * <p>Not API: may change without notice.
 */
public final class CallShapes {

    private record Call(List<Shape> inputs, long batch) {}

    private static final ThreadLocal<Call> CURRENT = new ThreadLocal<>();

    private CallShapes() {}

    /**
     * Runs one attribution call with its caller's shapes recorded, unless an outer call on this
     * thread already recorded its own.
     *
     * @param inputs the caller's inputs
     * @param body the call
     * @param <T> the result type
     * @return the body's result
     */
    static <T> T during(Inputs inputs, Supplier<T> body) {
        if (CURRENT.get() != null) {
            return body.get();
        }
        List<Shape> shapes = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            shapes.add(inputs.get(i).getShape());
        }
        CURRENT.set(new Call(shapes, inputs.batchSize()));
        try {
            return body.get();
        } finally {
            CURRENT.remove();
        }
    }

    /**
     * "inputs of shape ..." for a message: the caller's shapes inside a call, with the number of
     * rows the model was actually given when that differs; the given arrays' shapes outside one.
     *
     * @param given the arrays the model was run on
     * @return the description
     */
    public static String inputs(NDList given) {
        long rows =
                given.isEmpty() || given.get(0).getShape().dimension() == 0
                        ? -1
                        : given.get(0).getShape().get(0);
        if (CURRENT.get() != null) {
            return rows(rows);
        }
        List<Shape> shapes = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            shapes.add(given.get(i).getShape());
        }
        return "inputs of shape " + join(shapes);
    }

    /**
     * What a model given {@code rows} rows was run on, for a message: inside a call, the caller's
     * input shapes (and the row count when it differs from the caller's batch); outside one, the
     * row count.
     *
     * @param rows the rows the model was given, or -1 if unknown
     * @return the description
     */
    public static String rows(long rows) {
        Call c = CURRENT.get();
        if (c == null) {
            return "a batch of " + rows + " rows";
        }
        String s = "inputs of shape " + join(c.inputs());
        return rows >= 0 && rows != c.batch() ? s + " (run as a batch of " + rows + " rows)" : s;
    }

    private static String join(List<Shape> shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shapes.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(Checks.shape(shapes.get(i)));
        }
        return sb.toString();
    }

    /**
     * A forward output's shape as the caller sees it: inside a call, the batch dimension is the
     * caller's batch size (the output of one row per input row the model was given).
     *
     * @param output the output's shape, batch first
     * @return the shape to quote
     */
    public static String output(Shape output) {
        Call c = CURRENT.get();
        if (c == null || output.dimension() == 0) {
            return Checks.shape(output);
        }
        return Checks.shape(new Shape(c.batch()).addAll(output.slice(1)));
    }

    /**
     * Checks that a perturbation pass returned one output row per perturbed input row.
     *
     * @param out the output shape
     * @param rows the input rows of the pass
     */
    public static void requireRowPerInputRow(Shape out, long rows) {
        Checks.argument(
                out.dimension() >= 1 && out.get(0) == rows,
                "the forward function must return one output row per input row: for %s it"
                        + " returned shape %s (perturbation methods do not support an output"
                        + " aggregated over the batch)",
                rows(rows),
                out);
    }
}
