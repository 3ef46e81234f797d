package io.github.captum4j.concept;

/**
 * Trains the linear model whose weight vectors are the concept activation vectors (Captum's {@code
 * Classifier}): on layer activations {@code x} (one row per example) labelled with concept ids, it
 * returns one weight row per class; TCAV scores project layer gradients onto these rows.
 *
 * <pre>{@code
 * Classifier c = new DefaultClassifier(0);
 * Classifier.Fit fit = c.trainAndEval(activations, labels);
 * }</pre>
 */
public interface Classifier {

    /**
     * A trained classifier.
     *
     * @param weights one row per class, in {@code classes} order (for two classes the rows may be
     *     \( -w \) and \( w \))
     * @param classes the class labels (concept ids), ascending
     * @param accuracy the accuracy the classifier reports (on held-out rows or the training rows),
     *     or NaN if it reports none
     */
    record Fit(float[][] weights, int[] classes, double accuracy) {}

    /**
     * Trains on labelled activations.
     *
     * @param activations one row per example (flattened layer values), all of one length
     * @param labels the concept id of every row
     * @return the weights and classes
     */
    Fit trainAndEval(float[][] activations, int[] labels);

    /**
     * What identifies this classifier's results in the CAV cache: its kind and every setting that
     * changes the weights (e.g. the seed). Two classifiers with the same key must train the same
     * CAVs from the same data.
     *
     * @return the key
     */
    String cacheKey();
}
