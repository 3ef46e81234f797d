package io.github.captum4j.viz.global;

import io.github.captum4j.viz.global.Canvas.Anchor;

import java.awt.Color;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Plots of attributions over a whole data set: the mean |attribution| of each feature as a bar
 * chart, and a SHAP-style beeswarm (one dot per row and feature at its attribution, coloured by the
 * feature's value from low = blue to high = red). Features are ordered by mean |attribution|,
 * largest first; at most {@code maxFeatures} are shown.
 *
 * <p>The layouts follow the SHAP library's {@code shap.plots.bar} and {@code shap.plots.beeswarm}
 * (Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>).
 *
 * <pre>{@code
 * Plot bars = GlobalPlots.meanAbsBarChart(names, summary.get(new Stat.Mean()), 20);
 * Plot swarm = GlobalPlots.beeswarm(names, attributionRows, featureRows, 20);
 * swarm.writePng(Path.of("beeswarm.png"));
 * }</pre>
 */
public final class GlobalPlots {
    private static final Color BLUE = new Color(0, 139, 251);
    private static final Color RED = new Color(255, 0, 82);
    private static final Color AXIS = new Color(51, 51, 51);
    private static final Color GRID = new Color(204, 204, 204);
    private static final int ROW = 26;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int PLOT_WIDTH = 520;

    private GlobalPlots() {}

    /**
     * Bar chart of mean |attribution| per feature.
     *
     * @param names feature names
     * @param meanAbs mean absolute attribution of each feature, same length
     * @param maxFeatures features shown at most, {@code >= 1}
     * @return the plot
     */
    public static Plot meanAbsBarChart(List<String> names, double[] meanAbs, int maxFeatures) {
        check(names, meanAbs.length, "meanAbs", maxFeatures);
        int[] order = order(meanAbs, maxFeatures);
        int left = labelWidth(names, order);
        Canvas c = new Canvas(left + PLOT_WIDTH + 90, TOP + order.length * ROW + BOTTOM);
        double max = 0;
        for (int f : order) {
            max = Math.max(max, meanAbs[f]);
        }
        double hi = max > 0 ? max : 1;
        c.text(left + PLOT_WIDTH / 2.0, 18, "mean(|attribution|)", 14, Anchor.MIDDLE, AXIS);
        for (int r = 0; r < order.length; r++) {
            int f = order[r];
            double y = TOP + r * ROW;
            double w = PLOT_WIDTH * meanAbs[f] / hi;
            c.rect(left, y + 4, w, ROW - 8, RED);
            c.text(left - 8, y + ROW / 2.0, names.get(f), 12, Anchor.END, AXIS);
            c.text(left + w + 6, y + ROW / 2.0, format(meanAbs[f]), 11, Anchor.START, RED);
        }
        axis(c, left, TOP + order.length * ROW, 0, hi);
        return new Plot(c);
    }

    /**
     * SHAP-style beeswarm: one dot per row and feature.
     *
     * @param names feature names
     * @param attributions per row, the attribution of each feature
     * @param values per row, each feature's value (colours the dot)
     * @param maxFeatures features shown at most, {@code >= 1}
     * @return the plot
     */
    public static Plot beeswarm(
            List<String> names, float[][] attributions, float[][] values, int maxFeatures) {
        if (attributions.length == 0 || attributions.length != values.length) {
            throw new IllegalArgumentException(
                    "attributions and values must hold the same number (> 0) of rows, got "
                            + attributions.length
                            + " and "
                            + values.length);
        }
        int d = names.size();
        double[] meanAbs = new double[d];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < attributions.length; r++) {
            if (attributions[r].length != d || values[r].length != d) {
                throw new IllegalArgumentException(
                        "row " + r + " must hold " + d + " attributions and values, got "
                                + attributions[r].length + " and " + values[r].length);
            }
            for (int f = 0; f < d; f++) {
                meanAbs[f] += Math.abs(attributions[r][f]) / attributions.length;
                lo = Math.min(lo, attributions[r][f]);
                hi = Math.max(hi, attributions[r][f]);
            }
        }
        check(names, d, "attributions", maxFeatures);
        int[] order = order(meanAbs, maxFeatures);
        double pad = (hi - lo) * 0.05 + 1e-12;
        lo = Math.min(lo - pad, 0);
        hi = Math.max(hi + pad, 0);
        int left = labelWidth(names, order);
        Canvas c = new Canvas(left + PLOT_WIDTH + 110, TOP + order.length * ROW + BOTTOM);
        c.text(left + PLOT_WIDTH / 2.0, 18, "attribution (one dot per row)", 14, Anchor.MIDDLE, AXIS);
        double zero = left + PLOT_WIDTH * (0 - lo) / (hi - lo);
        c.line(zero, TOP, zero, TOP + order.length * ROW, GRID);
        double radius = 2.2;
        int bins = (int) (PLOT_WIDTH / (2 * radius));
        for (int r = 0; r < order.length; r++) {
            int f = order[r];
            double yc = TOP + r * ROW + ROW / 2.0;
            c.text(left - 8, yc, names.get(f), 12, Anchor.END, AXIS);
            double[] range = percentileRange(values, f);
            int[] filled = new int[bins + 1];
            for (int row = 0; row < attributions.length; row++) {
                double x = left + PLOT_WIDTH * (attributions[row][f] - lo) / (hi - lo);
                int bin = (int) Math.min(bins, Math.max(0, (x - left) / (2 * radius)));
                int k = filled[bin]++;
                double offset = ((k + 1) / 2) * (k % 2 == 0 ? 1 : -1) * 1.6 * radius;
                offset = Math.max(-ROW * 0.45, Math.min(ROW * 0.45, offset));
                double t = (values[row][f] - range[0]) / (range[1] - range[0]);
                c.dot(x, yc + offset, radius, blend(Double.isNaN(t) ? 0.5 : t));
            }
        }
        axis(c, left, TOP + order.length * ROW, lo, hi);
        colorBar(c, left + PLOT_WIDTH + 40, TOP, order.length * ROW);
        return new Plot(c);
    }

    private static void check(List<String> names, int n, String what, int maxFeatures) {
        if (names == null || names.size() != n) {
            throw new IllegalArgumentException(
                    "names must hold one name per feature of "
                            + what
                            + " ("
                            + n
                            + "), got "
                            + (names == null ? "null" : names.size()));
        }
        if (maxFeatures < 1 || n == 0) {
            throw new IllegalArgumentException(
                    "maxFeatures must be >= 1 and there must be features, got "
                            + maxFeatures
                            + " and "
                            + n);
        }
    }

    /** Features by mean |attribution|, largest first, at most {@code max}. */
    static int[] order(double[] meanAbs, int max) {
        return IntStream.range(0, meanAbs.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer f) -> -meanAbs[f]).thenComparing(f -> f))
                .limit(max)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static int labelWidth(List<String> names, int[] order) {
        int longest = 4;
        for (int f : order) {
            longest = Math.max(longest, names.get(f).length());
        }
        return 20 + 7 * Math.min(longest, 40);
    }

    private static void axis(Canvas c, int left, double y, double lo, double hi) {
        c.line(left, y, left + PLOT_WIDTH, y, AXIS);
        double step = niceStep((hi - lo) / 5);
        for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
            double x = left + PLOT_WIDTH * (t - lo) / (hi - lo);
            c.line(x, y, x, y + 5, AXIS);
            c.text(x, y + 16, format(Math.abs(t) < step * 1e-9 ? 0 : t), 11, Anchor.MIDDLE, AXIS);
        }
    }

    private static void colorBar(Canvas c, double x, double top, double height) {
        int steps = 50;
        for (int i = 0; i < steps; i++) {
            double t = 1 - (i + 0.5) / steps;
            c.rect(x, top + height * i / steps, 10, height / steps + 0.5, blend(t));
        }
        c.text(x + 14, top + 6, "high", 11, Anchor.START, AXIS);
        c.text(x + 14, top + height - 6, "low", 11, Anchor.START, AXIS);
        c.text(x + 5, top + height + 16, "feature value", 11, Anchor.MIDDLE, AXIS);
    }

    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    /** The 5th and 95th percentiles of a feature's values (SHAP's colour range). */
    private static double[] percentileRange(float[][] values, int f) {
        double[] v = new double[values.length];
        for (int r = 0; r < v.length; r++) {
            v[r] = values[r][f];
        }
        Arrays.sort(v);
        double lo = v[(int) Math.floor(0.05 * (v.length - 1))];
        double hi = v[(int) Math.ceil(0.95 * (v.length - 1))];
        if (hi <= lo) {
            lo = v[0];
            hi = v[v.length - 1];
        }
        return hi > lo ? new double[] {lo, hi} : new double[] {lo - 1, lo + 1};
    }

    /** Blue (low) to red (high), clipped to [0, 1]. */
    static Color blend(double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color(
                (int) Math.round(BLUE.getRed() + u * (RED.getRed() - BLUE.getRed())),
                (int) Math.round(BLUE.getGreen() + u * (RED.getGreen() - BLUE.getGreen())),
                (int) Math.round(BLUE.getBlue() + u * (RED.getBlue() - BLUE.getBlue())));
    }

    private static String format(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5)
                ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }
}
