package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.ForwardFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forward function over an {@link InterpretableInput}'s representation: a batch of
 * interpretable rows {@code (B, featureCount)} is formatted row by row into model inputs, the
 * distinct ones are run through the model (rows repeated within a batch are evaluated once), and
 * the outputs are returned in row order. Outputs of distinct rows are remembered for the
 * function's lifetime (create one per attribution call), so a coalition that ShapleyValues or
 * ShapleyValueSampling meets again, or the unperturbed row, costs no second model run. This is
 * how Captum's {@code LLMAttribution} feeds a perturbation method: FeatureAblation, ShapleyValues,
 * ShapleyValueSampling, KernelShap and Lime work on any interpretable input through their public
 * API with the row of ones ({@link InterpretableInput#toTensor}) as input and zeros as baseline.
 * The function is an {@link io.github.captum4j.core.ArrayForward} (the rows are read into the JVM
 * to be formatted anyway), so FeatureAblation builds its ablated rows and sums its attributions on
 * JVM arrays, with no engine call per feature.
 *
 * <pre>{@code
 * ImageMaskInput image = ImageMaskInput.of(picture, segments, new float[] {0f});
 * ForwardFunction f = InterpretableForward.of(image, image.rowsModel(classifier));
 * try (Attribution a = new FeatureAblation(f).attribute(Inputs.of(image.toTensor(manager)),
 *         Target.index(3))) { ... }
 * }</pre>
 */
public final class InterpretableForward {

    /** Distinct rows remembered before the memo is cleared. */
    private static final int MEMO_LIMIT = 1 << 16;

    /** Memo entry holding the output shape (a row of interpretable features is never empty). */
    private static final Row SHAPE_KEY = new Row(new float[0]);

    /** A row of interpretable values as a memo key (-0 and 0 are the same value). */
    private record Row(float[] values) {
        static Row of(float[] flat, int from, int n) {
            float[] v = Arrays.copyOfRange(flat, from, from + n);
            for (int i = 0; i < n; i++) {
                v[i] = v[i] == 0f ? 0f : v[i];
            }
            return new Row(v);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && Arrays.equals(values, r.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    private InterpretableForward() {}

    /**
     * A model over a list of formatted inputs.
     *
     * @param <M> the model input type
     */
    @FunctionalInterface
    public interface RowsModel<M> {
        /**
         * Runs the model on several inputs at once.
         *
         * @param rows the model inputs, at least one
         * @param manager a manager for the run's arrays (on the engine's default device), closed
         *     after the run
         * @return the outputs, float32, one row per input in dimension 0
         */
        NDArray run(List<M> rows, NDManager manager);
    }

    /**
     * The forward function of an interpretable input and a model; a black box (no gradients).
     *
     * @param input the interpretable input
     * @param model the model over formatted inputs
     * @param <M> the model input type
     * @return the forward function over interpretable rows
     * @throws IllegalArgumentException if an argument is null
     */
    public static <M> ForwardFunction of(InterpretableInput<M> input, RowsModel<M> model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        return ofValues(
                input,
                (rows, manager) -> {
                    NDArray out = model.run(rows, manager).toType(DataType.FLOAT32, false);
                    return new ArrayForward.Output(out.toFloatArray(), out.getShape().getShape());
                });
    }

    /** A model over formatted inputs whose outputs are already JVM values. */
    @FunctionalInterface
    interface RowsValues<M> {
        ArrayForward.Output run(List<M> rows, NDManager manager);
    }

    /**
     * {@link #of} over a model that gives JVM values (no round trip through the engine).
     *
     * @param input the interpretable input
     * @param model the model
     * @param <M> the model input type
     * @return the forward function, which also answers for rows it has evaluated
     */
    static <M> Memoized<M> ofValues(InterpretableInput<M> input, RowsValues<M> model) {
        if (input == null) {
            throw new IllegalArgumentException("input must not be null");
        }
        return new Memoized<>(input, model);
    }

    /** The forward function with its memo of distinct rows, evaluated on JVM arrays. */
    static final class Memoized<M> implements ArrayForward {
        private final InterpretableInput<M> input;
        private final RowsValues<M> model;
        private final Map<Row, float[]> memo = new HashMap<>();

        private Memoized(InterpretableInput<M> input, RowsValues<M> model) {
            this.input = input;
            this.model = model;
        }

        @Override
        public Output forwardArray(float[] rows, long[] shape) {
            synchronized (memo) {
                return InterpretableForward.forward(input, model, rows, shape, memo);
            }
        }

        /**
         * The remembered output of a row this function has evaluated.
         *
         * @param row one interpretable row
         * @return its output values, or {@code null} if it was not evaluated
         */
        float[] remembered(float[] row) {
            synchronized (memo) {
                float[] v = memo.get(Row.of(row, 0, row.length));
                return v == null ? null : v.clone();
            }
        }
    }

    private static <M> ArrayForward.Output forward(
            InterpretableInput<M> input,
            RowsValues<M> model,
            float[] flat,
            long[] shape,
            Map<Row, float[]> memo) {
        int n = input.featureCount();
        if (shape.length != 2 || shape[1] != n) {
            throw new IllegalArgumentException(
                    "interpretable rows must have shape (B, " + n + "), got " + new Shape(shape));
        }
        int rows = (int) shape[0];
        if (memo.size() > MEMO_LIMIT) {
            memo.clear();
        }
        List<Row> keys = new ArrayList<>(rows);
        Map<Row, Integer> pending = new HashMap<>();
        List<M> formatted = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Row key = Row.of(flat, r * n, n);
            keys.add(key);
            if (!memo.containsKey(key) && !pending.containsKey(key)) {
                pending.put(key, formatted.size());
                formatted.add(input.toModelInput(key.values().clone()));
            }
        }
        long[] outShape = null;
        if (!formatted.isEmpty()) {
            // The rows' scratch arrays live in a manager of their own, closed right after.
            ArrayForward.Output out;
            try (NDManager manager = NDManager.newBaseManager()) {
                out = model.run(formatted, manager);
            }
            outShape = out.shape().clone();
            int width = (int) (out.values().length / outShape[0]);
            float[] values = out.values();
            for (Map.Entry<Row, Integer> e : pending.entrySet()) {
                int s = e.getValue();
                memo.put(e.getKey(), Arrays.copyOfRange(values, s * width, (s + 1) * width));
            }
            memo.put(SHAPE_KEY, toFloats(outShape));
        }
        if (outShape == null) {
            outShape = toLongs(memo.get(SHAPE_KEY));
        }
        int width = memo.get(keys.get(0)).length;
        float[] result = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(memo.get(keys.get(r)), 0, result, r * width, width);
        }
        outShape[0] = rows;
        return new ArrayForward.Output(result, outShape);
    }

    private static float[] toFloats(long[] shape) {
        float[] f = new float[shape.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = shape[i];
        }
        return f;
    }

    private static long[] toLongs(float[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) shape[i];
        }
        return l;
    }
}
