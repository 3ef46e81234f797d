package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;

/**
 * Similarity of two attribution maps per example, as used by the model-randomisation sanity check
 * (Adebayo et al., "Sanity Checks for Saliency Maps", 2018, <a
 * href="https://arxiv.org/abs/1810.03292">arXiv:1810.03292</a>): an explanation that barely changes
 * when the model's weights are randomised does not depend on what the model learned.
 *
 * <ul>
 *   <li>{@link #spearman}: Spearman rank correlation of the flattened maps (average ranks for
 *       ties).
 *   <li>{@link #ssim}: structural similarity of 2-D maps (Wang et al., 2004) with a 7×7 uniform
 *       window, \( K_1 = 0.01 \), \( K_2 = 0.03 \), data range from the first map.
 * </ul>
 *
 * <pre>{@code
 * double[] rho = Similarity.spearman(trained.abs(), randomised.abs());
 * }</pre>
 */
public final class Similarity {

    private static final int WINDOW = 7;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;

    private Similarity() {}

    /**
     * Spearman rank correlation per example.
     *
     * @param a maps {@code (N, ...)}
     * @param b maps of the same shape
     * @return one coefficient per example in [-1, 1] (0 when a map is constant)
     */
    public static double[] spearman(NDArray a, NDArray b) {
        long n = check(a, b);
        float[] x = a.toType(DataType.FLOAT32, false).toFloatArray();
        float[] y = b.toType(DataType.FLOAT32, false).toFloatArray();
        int d = (int) (x.length / n);
        double[] out = new double[(int) n];
        for (int e = 0; e < n; e++) {
            double[] rx = ranks(x, e * d, d);
            double[] ry = ranks(y, e * d, d);
            out[e] = pearson(rx, ry);
        }
        return out;
    }

    /**
     * Structural similarity per example of 2-D maps {@code (N, H, W)}.
     *
     * @param a maps {@code (N, H, W)}
     * @param b maps of the same shape
     * @return mean SSIM per example
     */
    public static double[] ssim(NDArray a, NDArray b) {
        long n = check(a, b);
        Checks.argument(
                a.getShape().dimension() == 3
                        && a.getShape().get(1) >= WINDOW
                        && a.getShape().get(2) >= WINDOW,
                "maps must have shape (N, H, W) with H, W >= %s, got %s",
                WINDOW,
                a.getShape());
        int h = (int) a.getShape().get(1);
        int w = (int) a.getShape().get(2);
        float[] x = a.toType(DataType.FLOAT32, false).toFloatArray();
        float[] y = b.toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[(int) n];
        for (int e = 0; e < n; e++) {
            out[e] = ssim(x, y, e * h * w, h, w);
        }
        return out;
    }

    private static double ssim(float[] x, float[] y, int offset, int h, int w) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < h * w; i++) {
            min = Math.min(min, x[offset + i]);
            max = Math.max(max, x[offset + i]);
        }
        double range = max - min == 0 ? 1 : max - min;
        double c1 = (K1 * range) * (K1 * range);
        double c2 = (K2 * range) * (K2 * range);
        double count = WINDOW * WINDOW;
        double total = 0;
        int windows = 0;
        for (int r = 0; r + WINDOW <= h; r++) {
            for (int c = 0; c + WINDOW <= w; c++) {
                double sx = 0;
                double sy = 0;
                double sxx = 0;
                double syy = 0;
                double sxy = 0;
                for (int i = r; i < r + WINDOW; i++) {
                    for (int j = c; j < c + WINDOW; j++) {
                        double u = x[offset + i * w + j];
                        double v = y[offset + i * w + j];
                        sx += u;
                        sy += v;
                        sxx += u * u;
                        syy += v * v;
                        sxy += u * v;
                    }
                }
                double mx = sx / count;
                double my = sy / count;
                // sample (co)variances, as scikit-image's default
                double vx = (sxx - count * mx * mx) / (count - 1);
                double vy = (syy - count * my * my) / (count - 1);
                double cov = (sxy - count * mx * my) / (count - 1);
                total +=
                        ((2 * mx * my + c1) * (2 * cov + c2))
                                / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        }
        return total / windows;
    }

    private static double[] ranks(float[] v, int offset, int d) {
        Integer[] idx = new Integer[d];
        for (int i = 0; i < d; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (p, q) -> Float.compare(v[offset + p], v[offset + q]));
        double[] rank = new double[d];
        for (int i = 0; i < d; ) {
            int j = i;
            while (j + 1 < d && v[offset + idx[j + 1]] == v[offset + idx[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[idx[k]] = avg;
            }
            i = j + 1;
        }
        return rank;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va == 0 || vb == 0 ? 0 : cov / Math.sqrt(va * vb);
    }

    private static long check(NDArray a, NDArray b) {
        return checkMaps(a, "a", b, "b");
    }

    /**
     * Checks two batched maps of the same shape, dimension 0 the batch.
     *
     * @return the batch size
     */
    static long checkMaps(NDArray a, String aName, NDArray b, String bName) {
        Checks.notNull(a, aName);
        Checks.notNull(b, bName);
        Checks.argument(
                a.getShape().equals(b.getShape()),
                "%s shape %s does not match %s shape %s",
                bName,
                b.getShape(),
                aName,
                a.getShape());
        Checks.argument(
                a.getShape().dimension() >= 2,
                "%s must have a batch dimension and at least one more, got shape %s",
                aName,
                a.getShape());
        return a.getShape().get(0);
    }
}
