package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;


/**
 * Localisation scores of an attribution against a ground-truth mask of the relevant region, per
 * example. Attributions and mask have the same shape {@code (N, ...)}; the mask is boolean or 0/1.
 * Results are new arrays in the attribution's manager, shape {@code (N)}.
 *
 * <ul>
 *   <li>{@link #pointingGame}: 1 if the largest attribution lies in the mask (Zhang et al.,
 *       "Top-down Neural Attention by Excitation Backprop", 2016, <a
 *       href="https://arxiv.org/abs/1608.00507">arXiv:1608.00507</a>).
 *   <li>{@link #relevanceMass}: share of the positive attribution that falls in the mask, \(
 *       \sum_{i \in M} a_i^+ / \sum_i a_i^+ \) (Arras et al., "CLEVR-XAI", 2022, <a
 *       href="https://arxiv.org/abs/2003.07258">arXiv:2003.07258</a>).
 *   <li>{@link #relevanceRankAccuracy}: with \( K = |M| \), the share of the K largest attributions
 *       that lie in the mask (same paper).
 * </ul>
 *
 * <p>A random attribution scores about {@code |M| / size} on each, which is the baseline to compare
 * with.
 *
 * <pre>{@code
 * NDArray hits = Localisation.pointingGame(attribution.sum(new int[] {1}), objectMask);
 * }</pre>
 */
public final class Localisation {

    private Localisation() {}

    /**
     * Pointing game hit per example.
     *
     * @param attribution attributions {@code (N, ...)}
     * @param mask the relevant region, same shape
     * @return 1 where the arg-max lies in the mask, else 0, shape {@code (N)}
     */
    public static NDArray pointingGame(NDArray attribution, NDArray mask) {
        long n = check(attribution, mask);
        NDArray flat = attribution.reshape(n, -1);
        NDArray top = flat.argMax(1).reshape(n, 1);
        NDArray m = mask.reshape(n, -1).toType(DataType.FLOAT32, false);
        return m.gather(top, 1).reshape(n);
    }

    /**
     * Relevance mass accuracy per example: positive attribution inside the mask over all positive
     * attribution (0 when there is none).
     *
     * @param attribution attributions {@code (N, ...)}
     * @param mask the relevant region, same shape
     * @return shape {@code (N)}
     */
    public static NDArray relevanceMass(NDArray attribution, NDArray mask) {
        long n = check(attribution, mask);
        NDArray positive = attribution.reshape(n, -1).toType(DataType.FLOAT32, false).maximum(0f);
        NDArray m = mask.reshape(n, -1).toType(DataType.FLOAT32, false);
        NDArray inside = positive.mul(m).sum(new int[] {1});
        NDArray total = positive.sum(new int[] {1});
        return inside.div(total.eq(0).toType(DataType.FLOAT32, false).add(total));
    }

    /**
     * Relevance rank accuracy per example: the share of the {@code K = |mask|} highest attributions
     * that lie in the mask (0 for an empty mask).
     *
     * @param attribution attributions {@code (N, ...)}
     * @param mask the relevant region, same shape
     * @return shape {@code (N)}
     */
    public static NDArray relevanceRankAccuracy(NDArray attribution, NDArray mask) {
        long n = check(attribution, mask);
        NDArray m = mask.reshape(n, -1).toType(DataType.FLOAT32, false);
        NDArray order = attribution.reshape(n, -1).argSort(1, false);
        NDArray sortedMask = m.gather(order, 1);
        NDArray k = m.sum(new int[] {1}, true);
        NDArray rank =
                attribution.getManager().arange(0f, (float) m.getShape().get(1)).reshape(1, -1);
        NDArray inTopK = rank.lt(k).toType(DataType.FLOAT32, false);
        NDArray hits = sortedMask.mul(inTopK).sum(new int[] {1});
        NDArray kk = k.reshape(n);
        return hits.div(kk.eq(0).toType(DataType.FLOAT32, false).add(kk));
    }

    private static long check(NDArray attribution, NDArray mask) {
        return Similarity.checkMaps(attribution, "attribution", mask, "mask");
    }
}
