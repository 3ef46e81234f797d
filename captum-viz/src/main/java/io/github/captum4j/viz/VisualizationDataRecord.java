package io.github.captum4j.viz;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

import java.util.List;

/**
 * One explained text example, Captum's {@code VisualizationDataRecord}: the attribution of each
 * token, the prediction and the attributed class, drawn by {@link TextVisualization}.
 *
 * <pre>{@code
 * VisualizationDataRecord r = new VisualizationDataRecord(
 *         new float[] {0.9f, -0.3f, 0.1f}, 0.87, "pos", "pos", "pos", 0.7,
 *         List.of("a", "fine", "film"), 0.002);
 * }</pre>
 *
 * @param wordAttributions one attribution per token, normally in [-1, 1] (values are clipped)
 * @param predProb the predicted class's probability
 * @param predClass the predicted class's label
 * @param trueClass the true class's label
 * @param attrClass the label of the class the attributions explain
 * @param attrScore the attribution score, often the sum of the attributions
 * @param rawInputIds the tokens, at most one per attribution
 * @param convergenceScore the convergence delta of the attribution
 */
public record VisualizationDataRecord(
        float[] wordAttributions,
        double predProb,
        String predClass,
        String trueClass,
        String attrClass,
        double attrScore,
        List<String> rawInputIds,
        double convergenceScore) {

    /**
     * Validates and copies the components.
     *
     * @param wordAttributions one attribution per token, normally in [-1, 1] (values are clipped)
     * @param predProb the predicted class's probability
     * @param predClass the predicted class's label
     * @param trueClass the true class's label
     * @param attrClass the label of the class the attributions explain
     * @param attrScore the attribution score, often the sum of the attributions
     * @param rawInputIds the tokens, at most one per attribution
     * @param convergenceScore the convergence delta of the attribution
     */
    public VisualizationDataRecord {
        Checks.notNull(wordAttributions, "wordAttributions");
        Checks.notNull(predClass, "predClass");
        Checks.notNull(trueClass, "trueClass");
        Checks.notNull(attrClass, "attrClass");
        Checks.notNull(rawInputIds, "rawInputIds");
        Checks.argument(
                rawInputIds.size() <= wordAttributions.length,
                "rawInputIds must hold at most one token per attribution (%s), got %s",
                wordAttributions.length,
                rawInputIds.size());
        for (int i = 0; i < rawInputIds.size(); i++) {
            Checks.argument(rawInputIds.get(i) != null, "rawInputIds[%s] must not be null", i);
        }
        wordAttributions = wordAttributions.clone();
        rawInputIds = List.copyOf(rawInputIds);
    }

    /**
     * The word attributions of a 1-D array as the constructor takes them (e.g. an attribution
     * summed over the embedding dimension and divided by its norm), for Captum's {@code
     * VisualizationDataRecord(word_attributions_tensor, ...)}:
     *
     * <pre>{@code
     * new VisualizationDataRecord(VisualizationDataRecord.values(perToken), 0.87, "pos", "pos",
     *         "pos", attrScore, tokens, delta);
     * }</pre>
     *
     * @param wordAttributions shape {@code (T)}; not closed
     * @return its values as floats
     */
    public static float[] values(NDArray wordAttributions) {
        Checks.notNull(wordAttributions, "wordAttributions");
        Checks.argument(
                wordAttributions.getShape().dimension() == 1,
                "wordAttributions must be 1-D (one value per token), got shape %s",
                wordAttributions);
        if (wordAttributions.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            return wordAttributions.toFloatArray();
        }
        try (NDArray f = wordAttributions.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /**
     * The attribution of each token.
     *
     * @return a copy of the values
     */
    @Override
    public float[] wordAttributions() {
        return wordAttributions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VisualizationDataRecord r
                && java.util.Arrays.equals(wordAttributions, r.wordAttributions)
                && Double.compare(predProb, r.predProb) == 0
                && predClass.equals(r.predClass)
                && trueClass.equals(r.trueClass)
                && attrClass.equals(r.attrClass)
                && Double.compare(attrScore, r.attrScore) == 0
                && rawInputIds.equals(r.rawInputIds)
                && Double.compare(convergenceScore, r.convergenceScore) == 0;
    }

    /** A hash of the tokens and their attributions (equal records have equal ones). */
    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(wordAttributions) + rawInputIds.hashCode();
    }

    @Override
    public String toString() {
        return "VisualizationDataRecord[tokens="
                + rawInputIds
                + ", wordAttributions="
                + java.util.Arrays.toString(wordAttributions)
                + ", pred="
                + predClass
                + " ("
                + predProb
                + "), true="
                + trueClass
                + ", attr="
                + attrClass
                + " ("
                + attrScore
                + "), convergence="
                + convergenceScore
                + "]";
    }
}
