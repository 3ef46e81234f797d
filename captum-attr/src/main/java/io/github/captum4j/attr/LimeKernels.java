package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** The similarity kernels of {@link Lime} and {@link KernelShap}, vectorised over samples. */
final class LimeKernels {

    /** KernelShap's stand-in for the infinite weight of the empty and the full coalition. */
    static final float INF_WEIGHT = 1_000_000f;

    /** Guard of the cosine's denominator, as torch's {@code CosineSimilarity(eps=1e-8)}. */
    static final float COSINE_EPS = 1e-8f;

    private LimeKernels() {}

    /**
     * \( \exp(-d^2 / (2 w^2)) \) per sample and example.
     *
     * @param original per input {@code (N, rest...)}
     * @param perturbed per input {@code (K, N, rest...)}
     * @param mode the distance
     * @param width the kernel width
     * @return {@code (K, N)}
     */
    static NDArray exponential(
            NDList original, NDList perturbed, Lime.DistanceMode mode, double width) {
        NDArray dot = null;
        NDArray xx = null;
        NDArray pp = null;
        NDArray dd = null;
        for (int i = 0; i < original.size(); i++) {
            NDArray p = perturbed.get(i);
            long k = p.getShape().get(0);
            long n = p.getShape().get(1);
            NDArray pf = p.toType(DataType.FLOAT32, false).reshape(k, n, -1);
            NDArray xf = original.get(i).toType(DataType.FLOAT32, false).reshape(1, n, -1);
            if (mode == Lime.DistanceMode.COSINE) {
                dot = add(dot, pf.mul(xf).sum(new int[] {2}));
                xx = add(xx, xf.square().sum(new int[] {2}));
                pp = add(pp, pf.square().sum(new int[] {2}));
            } else {
                dd = add(dd, pf.sub(xf).square().sum(new int[] {2}));
            }
        }
        NDArray squared;
        if (mode == Lime.DistanceMode.COSINE) {
            NDArray cos = dot.div(xx.mul(pp).sqrt().maximum(COSINE_EPS));
            squared = cos.neg().add(1f).square();
        } else {
            squared = dd;
        }
        return squared.div(-2 * width * width).exp();
    }

    /**
     * KernelShap's kernel: {@link #INF_WEIGHT} for the empty and the full coalition, 1 otherwise.
     *
     * @param samples interpretable samples, 0/1 bytes
     * @param offset where the sample starts
     * @param features number of features F
     * @return the weight
     */
    static float shapley(byte[] samples, int offset, int features) {
        int selected = 0;
        for (int g = offset; g < offset + features; g++) {
            selected += samples[g] != 0 ? 1 : 0;
        }
        return selected == 0 || selected == features ? INF_WEIGHT : 1f;
    }

    private static NDArray add(NDArray total, NDArray part) {
        return total == null ? part : total.add(part);
    }
}
