package io.github.captum4j.concept;

import java.util.List;

/**
 * A trained concept activation vector set (Captum's {@code CAV}): for one experimental set of
 * concepts and one layer, the classifier's weight rows (one per concept, in {@code classes} order)
 * and its accuracy.
 *
 * @param conceptIds the set's concept ids, in the set's order
 * @param conceptNames their names
 * @param layer the layer
 * @param weights one row per class, {@code (C, F)} with F the flattened layer size
 * @param classes the concept ids of the rows, ascending
 * @param accuracy the classifier's accuracy (NaN if it reports none)
 */
public record CAV(
        List<Integer> conceptIds,
        List<String> conceptNames,
        String layer,
        float[][] weights,
        int[] classes,
        double accuracy) {

    /**
     * Copies the lists.
     *
     * @param conceptIds the set's concept ids, in the set's order
     * @param conceptNames their names
     * @param layer the layer
     * @param weights one row per class, {@code (C, F)} with F the flattened layer size
     * @param classes the concept ids of the rows, ascending
     * @param accuracy the classifier's accuracy (NaN if it reports none)
     */
    public CAV {
        conceptIds = List.copyOf(conceptIds);
        conceptNames = List.copyOf(conceptNames);
    }

    /**
     * The weight row of a concept.
     *
     * @param conceptId the concept id
     * @return its row
     * @throws IllegalArgumentException if the CAV has no such class
     */
    public float[] weightsOf(int conceptId) {
        for (int k = 0; k < classes.length; k++) {
            if (classes[k] == conceptId) {
                return weights[k];
            }
        }
        throw new IllegalArgumentException(
                "conceptId must be one of the CAV's classes "
                        + java.util.Arrays.toString(classes)
                        + ", got "
                        + conceptId);
    }
}
