package io.github.captum4j.metrics.summary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of one input tensor at one point of a {@link Summarizer}'s stream: an immutable
 * snapshot, Captum's {@code summary} dict of one tensor.
 *
 * <pre>{@code
 * Summary s = summarizer.summary(0);
 * double[] mean = s.get(new Stat.Mean());        // element-wise, row-major over s.shape()
 * Map<String, double[]> all = s.toMap();         // "mean" -> ..., "sample_std_dev" -> ...
 * }</pre>
 */
public final class Summary {

    private final Moments moments;
    private final List<Stat> stats;

    Summary(Moments moments, List<Stat> stats) {
        this.moments = moments.copy();
        this.stats = stats;
    }

    /**
     * The shape of one observation.
     *
     * @return the shape (a copy)
     */
    public long[] shape() {
        return moments.shape();
    }

    /**
     * The number of observations.
     *
     * @return the count
     */
    public long count() {
        return moments.count();
    }

    /**
     * The statistics asked for, in the order given to the summarizer.
     *
     * @return the statistics
     */
    public List<Stat> stats() {
        return stats;
    }

    /**
     * One statistic, element-wise in row-major order over {@link #shape()} ({@link Stat.Count}: one
     * value). Any statistic may be read, also one not asked for.
     *
     * @param stat the statistic
     * @return its values, or {@code null} before any observation (Captum's {@code None})
     */
    public double[] get(Stat stat) {
        return moments.value(stat);
    }

    /**
     * One statistic as a float32 tensor of {@link #shape()} (count: a scalar).
     *
     * @param stat the statistic
     * @param manager where the tensor goes
     * @return the tensor
     * @throws IllegalStateException before any observation
     */
    public NDArray get(Stat stat, NDManager manager) {
        double[] v = get(stat);
        if (v == null) {
            throw new IllegalStateException("the summary has no observation yet");
        }
        Shape shape = stat instanceof Stat.Count ? new Shape() : new Shape(moments.shape());
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return manager.create(f, shape);
    }

    /**
     * The statistics asked for by name, Captum's {@code summary} dict.
     *
     * @return an unmodifiable map in the order given, empty before any observation
     */
    public Map<String, double[]> toMap() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (count() > 0) {
            for (Stat s : stats) {
                out.put(s.name(), get(s));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "Summary[count=" + count() + ", shape=" + java.util.Arrays.toString(shape()) + "]";
    }
}
