package io.github.captum4j.insights;

/**
 * A class with its score (Captum's {@code OutputScore}): one of the top predictions, or the true
 * label.
 *
 * @param score the score (the score function's output, e.g. a probability)
 * @param index the class index
 * @param label the class label
 */
public record OutputScore(double score, int index, String label) {}
