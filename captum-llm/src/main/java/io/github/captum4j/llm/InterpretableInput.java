package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * An input seen through interpretable features that are present or absent (Captum's {@code
 * InterpretableInput}, after LIME's interpretable representation): the attribution methods
 * perturb a row of ones (one entry per feature, 1 = present, 0 = absent) and {@link
 * #toModelInput} formats the model's input from a perturbed row. {@link InterpretableForward}
 * turns such an input and a model into a {@link io.github.captum4j.core.ForwardFunction} that
 * FeatureAblation, ShapleyValues, ShapleyValueSampling, KernelShap and Lime accept unchanged.
 *
 * <p>Implementations: {@link TextTemplateInput}, {@link TextTokenInput}, {@link ImageMaskInput}.
 *
 * @param <M> the model input one row formats to (text, token ids, an image)
 */
public interface InterpretableInput<M> {

    /**
     * The number of interpretable features.
     *
     * @return the count, at least 1
     */
    int featureCount();

    /**
     * The values shown for the features in results and plots (Captum's {@code values}): one per
     * feature after {@link #expandAttributions}.
     *
     * @return the names
     */
    List<String> featureNames();

    /**
     * Formats the model input of one interpretable row.
     *
     * @param presence one entry per feature; 0 means absent (replaced by its baseline), anything
     *     else present
     * @return the model input
     */
    M toModelInput(float[] presence);

    /**
     * The unperturbed model input (every feature present).
     *
     * @return the model input
     */
    default M toModelInput() {
        float[] ones = new float[featureCount()];
        java.util.Arrays.fill(ones, 1f);
        return toModelInput(ones);
    }

    /**
     * The interpretable representation of the unperturbed input: {@code (1, featureCount())} ones,
     * float32 (the baseline of the perturbation methods is 0 = absent).
     *
     * @param manager where the tensor is created
     * @return the row of ones
     */
    default NDArray toTensor(NDManager manager) {
        return manager.ones(new Shape(1, featureCount()));
    }

    /**
     * Maps attributions over interpretable features back to the shown values (Captum's {@code
     * format_attr}): the identity unless several values form one feature.
     *
     * @param attributions rows of {@code featureCount()} attributions
     * @return rows of {@code featureNames().size()} attributions
     */
    default float[][] expandAttributions(float[][] attributions) {
        return attributions;
    }
}
