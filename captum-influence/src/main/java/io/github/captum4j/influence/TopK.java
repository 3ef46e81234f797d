package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;

/**
 * The {@code k} most influential training examples per test example: proponents in descending order
 * of score, opponents in ascending order (Captum's {@code _get_k_most_influential}); for {@link
 * SimilarityInfluence}, the most similar in the metric's order.
 *
 * @param indices {@code (N_test, k)} int64 row indices into the training data
 * @param scores {@code (N_test, k)} the scores of those rows
 */
public record TopK(NDArray indices, NDArray scores) {

    /**
     * Checks the arguments.
     *
     * @param indices {@code (N_test, k)} int64 row indices into the training data
     * @param scores {@code (N_test, k)} the scores of those rows
     */
    public TopK {
        Checks.notNull(indices, "indices");
        Checks.notNull(scores, "scores");
    }

    /**
     * The k largest (or smallest) scores per row, sorted that way.
     *
     * @param scores {@code (N_test, N_train)}
     * @param k how many, 1 to {@code N_train}
     * @param largest largest first, or smallest first
     * @return the top k
     */
    static TopK of(NDArray scores, int k, boolean largest) {
        long n = scores.getShape().get(1);
        Checks.argument(
                k >= 1 && k <= n,
                "k must be between 1 and the number of training examples (%s), got %s",
                n,
                k);
        NDList top = scores.topK(k, 1, largest, true);
        return new TopK(top.get(1).toType(DataType.INT64, false), top.get(0));
    }
}
