package io.github.captum4j.attr.layer;

/**
 * The resampling modes of {@link LayerAttribution#interpolate}, those of PyTorch's {@code
 * F.interpolate(mode=...)} with {@code align_corners=False} (Captum's setting). All are separable:
 * each spatial dimension is resampled by a fixed linear map, so the result equals PyTorch's and
 * gradients flow through it.
 */
public enum Interpolation {
    /** {@code nearest}: source cell {@code floor(i · in / out)} (Captum's default). */
    NEAREST(1, 3),
    /** {@code nearest-exact}: source cell {@code floor((i + 0.5) · in / out)}. */
    NEAREST_EXACT(1, 3),
    /** {@code linear}: one spatial dimension, input {@code (N, C, L)}. */
    LINEAR(1, 1),
    /** {@code bilinear}: input {@code (N, C, H, W)}. */
    BILINEAR(2, 2),
    /** {@code bicubic}: cubic convolution with \( A = -0.75 \), input {@code (N, C, H, W)}. */
    BICUBIC(2, 2),
    /** {@code trilinear}: input {@code (N, C, D, H, W)}. */
    TRILINEAR(3, 3),
    /** {@code area}: adaptive average pooling to the size. */
    AREA(1, 3);

    private final int minSpatial;
    private final int maxSpatial;

    Interpolation(int minSpatial, int maxSpatial) {
        this.minSpatial = minSpatial;
        this.maxSpatial = maxSpatial;
    }

    /** Whether the mode takes this many spatial dimensions. */
    boolean accepts(int spatialDims) {
        return spatialDims >= minSpatial && spatialDims <= maxSpatial;
    }

    /**
     * The map from {@code in} source cells to {@code out} cells along one dimension, row-major
     * {@code (out, in)}.
     */
    float[] matrix(int in, int out) {
        double[] m = new double[out * in];
        double scale = (double) (float) ((double) in / out);
        for (int i = 0; i < out; i++) {
            switch (this) {
                case NEAREST -> m[i * in + Math.min((int) Math.floor(i * scale), in - 1)] = 1;
                case NEAREST_EXACT ->
                        m[i * in + Math.min((int) Math.floor((i + 0.5) * scale), in - 1)] = 1;
                case AREA -> {
                    int start = (int) Math.floor((double) i * in / out);
                    int end = (int) Math.ceil((double) (i + 1) * in / out);
                    for (int j = start; j < end; j++) {
                        m[i * in + j] = 1.0 / (end - start);
                    }
                }
                case BICUBIC -> {
                    double src = scale * (i + 0.5) - 0.5;
                    int floor = (int) Math.floor(src);
                    double t = src - floor;
                    double[] w = cubicWeights(t);
                    for (int k = 0; k < 4; k++) {
                        int j = Math.min(Math.max(floor - 1 + k, 0), in - 1);
                        m[i * in + j] += w[k];
                    }
                }
                default -> {
                    double src = Math.max(scale * (i + 0.5) - 0.5, 0);
                    int j0 = (int) src;
                    int j1 = j0 < in - 1 ? j0 + 1 : j0;
                    double l1 = src - j0;
                    m[i * in + j0] += 1 - l1;
                    m[i * in + j1] += l1;
                }
            }
        }
        float[] f = new float[m.length];
        for (int k = 0; k < m.length; k++) {
            f[k] = (float) m[k];
        }
        return f;
    }

    /** PyTorch's cubic convolution weights of the four taps around a point, \( A = -0.75 \). */
    private static double[] cubicWeights(double t) {
        double a = -0.75;
        double x1 = t + 1;
        double x2 = 1 - t;
        double x3 = 2 - t;
        return new double[] {
            ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1,
            ((a * x3 - 5 * a) * x3 + 8 * a) * x3 - 4 * a
        };
    }
}
