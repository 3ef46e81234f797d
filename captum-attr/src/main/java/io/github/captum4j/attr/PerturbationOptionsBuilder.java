package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.ProgressListener;

import java.util.Arrays;
import java.util.List;

/**
 * The setters every feature-mask perturbation method's options builder shares ({@code featureMask},
 * {@code perturbationsPerEval}, {@code progress}).
 *
 * @param <B> the concrete builder
 */
abstract class PerturbationOptionsBuilder<B extends PerturbationOptionsBuilder<B>> {

    /** The feature masks, or {@code null}. */
    List<NDArray> featureMask;

    /** Perturbations per forward pass. */
    int perturbationsPerEval;

    /** The progress listener. */
    ProgressListener progress;

    PerturbationOptionsBuilder(
            List<NDArray> featureMask, int perturbationsPerEval, ProgressListener progress) {
        this.featureMask = featureMask;
        this.perturbationsPerEval = perturbationsPerEval;
        this.progress = progress;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets {@code featureMask}, one mask per input.
     *
     * @param masks the masks, or none for one feature per element
     * @return this
     */
    public B featureMask(NDArray... masks) {
        featureMask = masks == null || masks.length == 0 ? null : Arrays.asList(masks);
        return self();
    }

    /**
     * Sets {@code perturbationsPerEval}.
     *
     * @param value perturbations per forward pass
     * @return this
     */
    public B perturbationsPerEval(int value) {
        perturbationsPerEval = value;
        return self();
    }

    /**
     * Sets {@code progress} (Captum's {@code show_progress}: e.g. {@link
     * ProgressListener#console}).
     *
     * @param value the listener
     * @return this
     */
    public B progress(ProgressListener value) {
        progress = value;
        return self();
    }
}
