package io.github.captum4j.insights;

import java.util.List;

/**
 * One explained example (Captum's {@code VisualizationOutput}).
 *
 * @param instance the example's position in the last {@link AttributionVisualizer#visualize}
 *     result, used to re-attribute it for another class
 * @param modelIndex which model
 * @param actual the true label, or {@code null} if the batch has none
 * @param predicted the top predictions, best first (at most 4)
 * @param activeIndex the class the attributions explain
 * @param featureOutputs one output per feature
 */
public record VisualizationOutput(
        int instance,
        int modelIndex,
        OutputScore actual,
        List<OutputScore> predicted,
        int activeIndex,
        List<FeatureOutput> featureOutputs) {

    /**
     * Copies the lists.
     *
     * @param instance the example's position in the last {@link AttributionVisualizer#visualize}
     *     result, used to re-attribute it for another class
     * @param modelIndex which model
     * @param actual the true label, or {@code null} if the batch has none
     * @param predicted the top predictions, best first (at most 4)
     * @param activeIndex the class the attributions explain
     * @param featureOutputs one output per feature
     */
    public VisualizationOutput {
        predicted = List.copyOf(predicted);
        featureOutputs = List.copyOf(featureOutputs);
    }
}
