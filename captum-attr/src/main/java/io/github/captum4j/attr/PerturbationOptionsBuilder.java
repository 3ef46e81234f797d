package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * The {@code featureMask} setter from tensors, for the generated options builders of the
 * feature-mask perturbation methods.
 *
 * @param <B> the concrete builder
 */
interface PerturbationOptionsBuilder<B> {

    /**
     * Sets {@code featureMask} (implemented by the generated builder).
     *
     * @param featureMask one mask per input, or {@code null} for one feature per element
     * @return this
     */
    B featureMask(List<NDArray> featureMask);

    /**
     * Sets {@code featureMask}, one mask per input.
     *
     * @param masks the masks, or none for one feature per element
     * @return this
     */
    default B featureMask(NDArray... masks) {
        return featureMask(masks == null || masks.length == 0 ? null : Arrays.asList(masks));
    }
}
