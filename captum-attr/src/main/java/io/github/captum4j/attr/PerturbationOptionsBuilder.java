package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.ProgressListener;

import java.util.Arrays;

/**
 * The setters every feature-mask perturbation method's options builder shares ({@code featureMask},
 * {@code perturbationsPerEval}, {@code progress}).
 *
 * @param <B> the concrete builder
 * @param <O> the options record
 */
abstract class PerturbationOptionsBuilder<
                B extends PerturbationOptionsBuilder<B, O>, O extends Record>
        extends OptionsBuilder<B, O> {

    PerturbationOptionsBuilder(O from) {
        super(from);
    }

    /**
     * Sets {@code featureMask}, one mask per input.
     *
     * @param masks the masks, or none for one feature per element
     * @return this
     */
    public B featureMask(NDArray... masks) {
        return set("featureMask", masks == null || masks.length == 0 ? null : Arrays.asList(masks));
    }

    /**
     * Sets {@code perturbationsPerEval}.
     *
     * @param value perturbations per forward pass
     * @return this
     */
    public B perturbationsPerEval(int value) {
        return set("perturbationsPerEval", value);
    }

    /**
     * Sets {@code progress} (Captum's {@code show_progress}: e.g. {@link
     * ProgressListener#console}).
     *
     * @param value the listener
     * @return this
     */
    public B progress(ProgressListener value) {
        return set("progress", value);
    }
}
