package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;

/**
 * A training-data influence method (Captum's {@code DataInfluence} for the TracIn family): scores
 * of training examples for test examples, their most influential ones, and self influence.
 *
 * <pre>{@code
 * TrainingInfluence tracin = new TracInCPFast(
 *         checkpoints, train, Loss.crossEntropy(Loss.Reduction.SUM), LayerPath.of("fc2"));
 * NDArray scores = tracin.influence(Batch.of(testX, testY)); // (test, train)
 * TopK helpers = tracin.proponents(Batch.of(testX, testY), 5);
 * NDArray suspicious = tracin.selfInfluence();               // high = probably mislabelled
 * }</pre>
 */
public interface TrainingInfluence {

    /**
     * The influence of every training example on every test example.
     *
     * @param test the test examples with their labels
     * @return {@code (N_test, N_train)} in the test inputs' manager
     */
    NDArray influence(Batch test);

    /**
     * The k training examples of largest influence per test example, largest first.
     *
     * @param test the test examples with their labels
     * @param k how many, 1 to the number of training examples
     * @return indices and scores, {@code (N_test, k)}
     */
    TopK proponents(Batch test, int k);

    /**
     * The k training examples of smallest (most negative) influence per test example, smallest
     * first.
     *
     * @param test the test examples with their labels
     * @param k how many, 1 to the number of training examples
     * @return indices and scores, {@code (N_test, k)}
     */
    TopK opponents(Batch test, int k);

    /**
     * The influence of every training example on itself, over the training data.
     *
     * @return {@code (N_train)} in the manager of the first training batch
     */
    NDArray selfInfluence();

    /**
     * The influence of every example of some data on itself.
     *
     * @param data batches with labels
     * @return {@code (N)} in the manager of the first batch
     */
    NDArray selfInfluence(Iterable<Batch> data);
}
