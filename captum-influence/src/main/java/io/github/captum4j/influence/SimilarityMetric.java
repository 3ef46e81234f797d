package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

import java.util.function.BiFunction;

/**
 * How {@link SimilarityInfluence} compares activations: a function of test rows {@code (N, d)} and
 * training rows {@code (M, d)} (flattened activations) giving {@code (N, M)}, and whether the most
 * similar rows have the largest or the smallest values (Captum's {@code similarity_metric} and
 * {@code similarity_direction}).
 *
 * @param function the pairwise similarity
 * @param largestFirst {@code true} for "max" (similarities), {@code false} for "min" (distances)
 */
public record SimilarityMetric(
        BiFunction<NDArray, NDArray, NDArray> function, boolean largestFirst) {

    /**
     * Checks the arguments.
     *
     * @param function the pairwise similarity
     * @param largestFirst {@code true} for "max" (similarities), {@code false} for "min"
     *     (distances)
     */
    public SimilarityMetric {
        Checks.notNull(function, "function");
    }

    /**
     * Cosine similarity, Captum's default: rows divided by their L2 norm (a zero row stays zero),
     * then dot products; largest first.
     */
    public static final SimilarityMetric COSINE =
            new SimilarityMetric((test, train) -> unit(test).matMul(unit(train).transpose()), true);

    /** Euclidean distance ({@code torch.cdist}); smallest first. */
    public static final SimilarityMetric EUCLIDEAN =
            new SimilarityMetric(
                    (test, train) ->
                            test.expandDims(1)
                                    .sub(train.expandDims(0))
                                    .square()
                                    .sum(new int[] {2})
                                    .sqrt(),
                    false);

    private static NDArray unit(NDArray rows) {
        NDArray norm = rows.norm(new int[] {1}, true);
        NDArray zero = norm.eq(0);
        return rows.div(norm.add(zero.toType(norm.getDataType(), false))).mul(zero.logicalNot());
    }
}
