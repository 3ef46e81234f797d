package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;

/**
 * The window geometry of {@link Occlusion}: the positions of a window sliding over one input's
 * dimensions after the batch, numbered with the first dimension varying fastest (Captum's rule:
 * \( \lceil (D_d - w_d) / s_d \rceil + 1 \) positions along dimension \( d \), the last one cut at
 * the border), the keep masks of a chunk of positions, and the per-element sums and coverage
 * counts of the occlusion differences. Windows are the same for every example, so all of it is
 * plain Java over row-major offsets of one example.
 */
final class OcclusionWindows {
    private final long[] dims;
    private final long[] window;
    private final long[] strides;
    private final long[] positions;
    private final long count;

    private OcclusionWindows(long[] dims, long[] window, long[] strides, long[] positions) {
        this.dims = dims;
        this.window = window;
        this.strides = strides;
        this.positions = positions;
        long c = 1;
        for (long p : positions) {
            c *= p;
        }
        this.count = c;
    }

    /** How many window positions there are. */
    long count() {
        return count;
    }

    static OcclusionWindows of(int input, Shape shape, long[] window, long[] stride) {
        long[] dims = shape.slice(1).getShape();
        Checks.argument(
                window.length == dims.length,
                "slidingWindowShapes[%s] %s must have one extent per dimension of inputs[%s]"
                        + " after the batch %s",
                input,
                window,
                input,
                dims);
        long[] strides =
                stride.length == 1 && dims.length > 1 ? fill(dims.length, stride[0]) : stride;
        Checks.argument(
                strides.length == dims.length,
                "strides[%s] %s must have one step per dimension of inputs[%s] after the batch"
                        + " %s (or a single step)",
                input,
                stride,
                input,
                dims);
        long[] positions = new long[dims.length];
        for (int d = 0; d < dims.length; d++) {
            long room = dims[d] - window[d];
            Checks.argument(
                    room >= 0,
                    "slidingWindowShapes[%s] %s cannot exceed the input's dimensions %s",
                    input,
                    window,
                    dims);
            Checks.argument(
                    room == 0 || strides[d] <= window[d],
                    "strides[%s] %s cannot exceed slidingWindowShapes[%s] %s along a dimension"
                            + " the window does not cover",
                    input,
                    strides,
                    input,
                    window);
            positions[d] = (room + strides[d] - 1) / strides[d] + 1;
        }
        return new OcclusionWindows(dims, window.clone(), strides, positions);
    }

    /**
     * Keep masks (count, 1, dims...): false inside window positions first .. first+count-1. A
     * dimension that every window covers whole (the channels, typically) has extent 1 in the
     * mask, which the selection broadcasts.
     */
    NDArray keep(long first, int count, NDManager m) {
        OcclusionWindows geometry = maskGeometry();
        int size = geometry.elements();
        boolean[] keep = new boolean[count * size];
        Arrays.fill(keep, true);
        for (int k = 0; k < count; k++) {
            int base = k * size;
            geometry.forEachRun(
                    first + k,
                    (offset, length) ->
                            Arrays.fill(keep, base + offset, base + offset + length, false));
        }
        long[] shape = new long[dims.length + 2];
        shape[0] = count;
        shape[1] = 1;
        System.arraycopy(geometry.dims, 0, shape, 2, dims.length);
        return m.create(keep, new Shape(shape));
    }

    /** These windows with every wholly covered dimension collapsed to extent 1. */
    private OcclusionWindows maskGeometry() {
        long[] reduced = dims.clone();
        long[] reducedWindow = window.clone();
        boolean any = false;
        for (int d = 0; d < dims.length; d++) {
            if (positions[d] == 1 && window[d] >= dims[d] && dims[d] > 1) {
                reduced[d] = 1;
                reducedWindow[d] = 1;
                any = true;
            }
        }
        return any ? new OcclusionWindows(reduced, reducedWindow, strides, positions) : this;
    }

    /**
     * Adds \( F(x) - F(\tilde x_k) \) over window {@code k}'s elements, for the positions
     * {@code first ..} of a chunk and every example.
     *
     * @param outputs the target values {@code (K, N)}, row-major
     * @param initial the unperturbed target values {@code (N)}
     * @param sums per example, per element {@code (N, elements)}, row-major
     */
    void accumulate(long first, double[] outputs, double[] initial, double[] sums) {
        int n = initial.length;
        int size = elements();
        for (int k = 0; k < outputs.length / n; k++) {
            for (int e = 0; e < n; e++) {
                double diff = initial[e] - outputs[k * n + e];
                int base = e * size;
                forEachRun(
                        first + k,
                        (offset, length) -> {
                            for (int j = base + offset; j < base + offset + length; j++) {
                                sums[j] += diff;
                            }
                        });
            }
        }
    }

    /** The sums divided by how many windows cover each element, as an array of {@code type}. */
    NDArray average(double[] sums, NDManager m, DataType type) {
        int size = elements();
        int[] covered = new int[size];
        for (long p = 0; p < count; p++) {
            forEachRun(
                    p,
                    (offset, length) -> {
                        for (int j = offset; j < offset + length; j++) {
                            covered[j]++;
                        }
                    });
        }
        double[] mean = new double[sums.length];
        for (int j = 0; j < sums.length; j++) {
            mean[j] = sums[j] / covered[j % size];
        }
        return m.create(mean).toType(type, false);
    }

    /** Elements of one example. */
    private int elements() {
        long e = 1;
        for (long d : dims) {
            e *= d;
        }
        return Math.toIntExact(e);
    }

    /**
     * Calls {@code run} for each contiguous stretch (along the last dimension) of the elements
     * inside window position {@code p}, with row-major offsets into one example.
     */
    private void forEachRun(long p, RunConsumer run) {
        int rank = dims.length;
        long[] start = new long[rank];
        long[] end = new long[rank];
        long step = 1;
        for (int d = 0; d < rank; d++) {
            start[d] = (p / step % positions[d]) * strides[d];
            end[d] = Math.min(dims[d], start[d] + window[d]);
            step *= positions[d];
        }
        long[] at = start.clone();
        int length = (int) (end[rank - 1] - start[rank - 1]);
        while (true) {
            long offset = 0;
            for (int d = 0; d < rank; d++) {
                offset = offset * dims[d] + at[d];
            }
            run.accept((int) offset, length);
            int d = rank - 2;
            while (d >= 0 && ++at[d] == end[d]) {
                at[d] = start[d];
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static long[] fill(int n, long v) {
        long[] out = new long[n];
        Arrays.fill(out, v);
        return out;
    }

    /** Receives a stretch {@code [offset, offset + length)} of an example's elements. */
    @FunctionalInterface
    private interface RunConsumer {
        void accept(int offset, int length);
    }
}
