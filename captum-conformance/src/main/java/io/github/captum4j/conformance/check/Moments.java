package io.github.captum4j.conformance.check;

import io.github.captum4j.core.Attribution;

/**
 * Running mean and variance of per-run values, elementwise: what a statistical check accumulates
 * over seeded runs.
 */
public final class Moments {
    private final double[] sum;
    private final double[] sumSq;
    private int count;

    /**
     * Empty moments.
     *
     * @param size the number of elements per run
     */
    public Moments(int size) {
        sum = new double[size];
        sumSq = new double[size];
    }

    /**
     * Adds one accumulator per attribution tensor of a run, creating them on the first run.
     *
     * @param moments one slot per attribution tensor
     * @param a the run's attribution
     */
    public static void addAll(Moments[] moments, Attribution a) {
        for (int i = 0; i < moments.length; i++) {
            double[] x = Checks.doubles(a.attribution(i));
            if (moments[i] == null) {
                moments[i] = new Moments(x.length);
            }
            moments[i].add(x);
        }
    }

    /**
     * Adds one run.
     *
     * @param x the run's values
     */
    public void add(double[] x) {
        if (x.length != sum.length) {
            throw new IllegalStateException(
                    "attribution size changed between runs: " + sum.length + " then " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            sum[i] += x[i];
            sumSq[i] += x[i] * x[i];
        }
        count++;
    }

    /**
     * The mean over the runs.
     *
     * @return the elementwise mean
     */
    public double[] mean() {
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sum[i] / count;
        }
        return out;
    }

    /**
     * Unbiased variance of one run's value.
     *
     * @return the elementwise variance
     */
    public double[] variance() {
        double[] out = new double[sum.length];
        for (int i = 0; i < out.length; i++) {
            double mu = sum[i] / count;
            out[i] = count > 1 ? Math.max(0, (sumSq[i] - count * mu * mu) / (count - 1)) : 0;
        }
        return out;
    }

    /**
     * Per-draw standard deviation implied by runs that each average {@code n} draws.
     *
     * @param n draws per run
     * @return the elementwise standard deviation
     */
    public double[] stdTimesSqrtN(int n) {
        double[] var = variance();
        double[] out = new double[var.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.sqrt(var[i] * n);
        }
        return out;
    }
}
