package io.github.captum4j.metrics.summary;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The running moments of one tensor's elements (not API): count, mean, \( M_2 \), min, max, sum,
 * all in double. Updated with Welford's recurrence (Captum's: {@code mean += (x - mean) / n}, {@code
 * mse += (x - prevMean) (x - mean)}) and merged with Chan et al.'s pairwise formula.
 */
final class Moments implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] shape;
    private long n;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;
    private final double[] sum;

    Moments(long[] shape) {
        this.shape = shape.clone();
        int size = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        mean = new double[size];
        m2 = new double[size];
        min = new double[size];
        max = new double[size];
        sum = new double[size];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    long[] shape() {
        return shape.clone();
    }

    int size() {
        return mean.length;
    }

    long count() {
        return n;
    }

    /**
     * Adds one observation read from {@code values[offset .. offset + size())}.
     *
     * @param values the values
     * @param offset where the observation starts
     */
    void add(float[] values, int offset) {
        n++;
        double inv = 1.0 / n;
        for (int j = 0; j < mean.length; j++) {
            double x = values[offset + j];
            double prev = mean[j];
            double m = prev + (x - prev) * inv;
            mean[j] = m;
            m2[j] += (x - prev) * (x - m);
            sum[j] += x;
            if (x < min[j]) {
                min[j] = x;
            }
            if (x > max[j]) {
                max[j] = x;
            }
        }
    }

    /**
     * Merges another summary of the same shape into this one (Chan et al. 1979).
     *
     * @param other the other moments
     */
    void merge(Moments other) {
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException(
                    "summaries to merge must have the same shape, got "
                            + Arrays.toString(shape)
                            + " and "
                            + Arrays.toString(other.shape));
        }
        if (other.n == 0) {
            return;
        }
        long total = n + other.n;
        double wb = (double) other.n / total;
        double cross = (double) n * other.n / total;
        for (int j = 0; j < mean.length; j++) {
            double delta = other.mean[j] - mean[j];
            mean[j] = n == 0 ? other.mean[j] : mean[j] + delta * wb;
            m2[j] += other.m2[j] + delta * delta * cross;
            sum[j] += other.sum[j];
            min[j] = Math.min(min[j], other.min[j]);
            max[j] = Math.max(max[j], other.max[j]);
        }
        n = total;
    }

    /**
     * The value of a statistic, Captum's {@code get()}: {@code null} before any observation.
     *
     * @param stat the statistic
     * @return the values (a copy; count is one value)
     */
    double[] value(Stat stat) {
        if (n == 0) {
            return null;
        }
        if (stat instanceof Stat.Count) {
            return new double[] {n};
        }
        if (stat instanceof Stat.Mean) {
            return mean.clone();
        }
        if (stat instanceof Stat.MSE) {
            return m2.clone();
        }
        if (stat instanceof Stat.Min) {
            return min.clone();
        }
        if (stat instanceof Stat.Max) {
            return max.clone();
        }
        if (stat instanceof Stat.Sum) {
            return sum.clone();
        }
        int order = stat instanceof Stat.Var v ? v.order() : ((Stat.StdDev) stat).order();
        double[] out = new double[m2.length];
        if (n > order) {
            for (int j = 0; j < out.length; j++) {
                out[j] = m2[j] / (n - order);
                if (stat instanceof Stat.StdDev) {
                    out[j] = Math.sqrt(out[j]);
                }
            }
        }
        return out;
    }

    Moments copy() {
        Moments c = new Moments(shape);
        c.merge(this);
        return c;
    }
}
