package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;

import java.util.List;

/**
 * Feature Ablation: each feature (an element, or a group of elements sharing an id in the feature
 * mask) is replaced by its baseline, one at a time, and its attribution is the drop of the target
 * output:
 *
 * <p>\( \mathrm{FA}_e(x) = F(x) - F(x_{\setminus g(e)}) \), where \( x_{\setminus g} \) is \( x \)
 * with the elements of feature group \( g \) set to the baseline and \( g(e) \) is the group of
 * element \( e \).
 *
 * <p>The perturbation baseline of explanation methods, described e.g. by Zeiler and Fergus,
 * "Visualizing and Understanding Convolutional Networks", 2013, <a
 * href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>; Captum's {@code FeatureAblation}.
 *
 * <p>Inputs: one or more tensors {@code (N, ...)} of any type (token ids too); {@link
 * io.github.captum4j.core.Baselines} of their shapes, batch 1, or numbers (default zeros); any
 * {@link ForwardFunction}, black boxes included. Output: one tensor per input, of its shape, in the
 * model output's type. Forward passes: 1 + per input {@code ceil(features / perturbationsPerEval)},
 * each of at most {@code perturbationsPerEval · N} rows.
 *
 * <pre>{@code
 * FeatureAblation ablation = new FeatureAblation(ForwardFunction.blackBox(model));
 * NDArray superpixels = ...; // (1, 1, 28, 28) int64, ids 0..15
 * try (Attribution a = ablation.attribute(Inputs.of(images), Target.index(3),
 *         FeatureAblation.Options.builder().featureMask(superpixels).perturbationsPerEval(16).build())) {
 *     NDArray map = a.attribution(0);
 * }
 * }</pre>
 *
 * <p>Options that change the maths: {@code featureMask} (the groups) and {@code
 * enableCrossTensorAttribution} (one id ablates its elements in every input at once); {@code
 * perturbationsPerEval} only batches the evaluations.
 */
public final class FeatureAblation extends PerturbationAttribution<FeatureAblation.Options> {

    /**
     * Feature Ablation of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public FeatureAblation(ForwardFunction forwardFunction) {
        super(
                MethodInfo.perturbation("Feature Ablation", Options.DEFAULTS).withBaselines(),
                forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param featureMask per input, integer ids grouping elements (shape of the input, dimension 0
     *     either 1 or N, other dimensions equal or 1), or {@code null} for one feature per element
     *     (default); ids of each input are ablated independently of the other inputs
     * @param perturbationsPerEval perturbations per forward pass, {@code >= 1} (default 1)
     * @param enableCrossTensorAttribution whether an id is one feature across all inputs, ablated
     *     in every input at once (default false)
     * @param progress receives progress after every forward pass (default {@link
     *     ProgressListener#NONE}; Captum's {@code show_progress})
     */
    public record Options(
            List<NDArray> featureMask,
            int perturbationsPerEval,
            boolean enableCrossTensorAttribution,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param featureMask per input, integer ids grouping elements (shape of the input,
         *     dimension 0 either 1 or N, other dimensions equal or 1), or {@code null} for one
         *     feature per element (default); ids of each input are ablated independently of the
         *     other inputs
         * @param perturbationsPerEval perturbations per forward pass, {@code >= 1} (default 1)
         * @param enableCrossTensorAttribution whether an id is one feature across all inputs,
         *     ablated in every input at once (default false)
         * @param progress receives progress after every forward pass (default {@link
         *     ProgressListener#NONE}; Captum's {@code show_progress})
         */
        public Options {
            featureMask = checkFeatureMask(featureMask);
            checkPerturbationsPerEval(perturbationsPerEval);
            progress = orNone(progress);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Fluent builder of {@link Options}. */
        public static final class Builder extends PerturbationOptionsBuilder<Builder, Options> {
            private Builder(Options from) {
                super(from);
            }

            /**
             * Sets {@code enableCrossTensorAttribution}.
             *
             * @param value whether ids are shared across inputs
             * @return this
             */
            public Builder enableCrossTensorAttribution(boolean value) {
                return set("enableCrossTensorAttribution", value);
            }
        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        Perturbations engine =
                engine(inputs, baselines, target, options.perturbationsPerEval(), scratch);
        if (options.enableCrossTensorAttribution()) {
            FeatureMask mask = FeatureMask.shared(options.featureMask(), x, false, scratch);
            report(engine, options.progress(), 1 + engine.passes(mask.count()));
            NDArray initial = engine.evaluate(x, 1);
            return engine.ablate(
                    initial,
                    mask.count(),
                    (first, count, m) -> {
                        NDList keep = new NDList(x.size());
                        for (int i = 0; i < x.size(); i++) {
                            keep.add(mask.ablationKeep(i, first, count, m));
                        }
                        return new Perturbations.Chunk(keep);
                    });
        }
        FeatureMask mask = FeatureMask.perTensor(options.featureMask(), x, scratch);
        report(engine, options.progress(), passes(engine, mask));
        return ablateEachInput(engine, x, mask, null);
    }

    /**
     * Forward passes of {@link #ablateEachInput}: the unperturbed batch, then each input's
     * features.
     *
     * @param engine the engine
     * @param mask per-input feature ids
     * @return the number of passes
     */
    static long passes(Perturbations engine, FeatureMask mask) {
        long passes = 1;
        for (int i = 0; i < mask.size(); i++) {
            passes += engine.passes(mask.rangeSize(i));
        }
        return passes;
    }

    /**
     * Ablates the features of each input in turn (Captum's loop over inputs), replacing them by the
     * baselines or by the given per-chunk replacements.
     *
     * @param engine the engine
     * @param x the inputs
     * @param mask per-input feature ids
     * @param replacements builds the replacement values of input {@code i}'s features {@code first
     *     ..}, or {@code null} for the baselines
     * @return the attributions
     */
    static NDList ablateEachInput(
            Perturbations engine, NDList x, FeatureMask mask, Replacements replacements) {
        NDArray initial = engine.evaluate(x, 1);
        NDList out = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            int input = i;
            Perturbations.ChunkSource source =
                    (first, count, m) -> {
                        NDList keep = new NDList(x.size());
                        NDList repl = replacements == null ? null : new NDList(x.size());
                        for (int j = 0; j < x.size(); j++) {
                            boolean mine = j == input;
                            keep.add(
                                    mine
                                            ? mask.ablationKeep(j, mask.min(j) + first, count, m)
                                            : null);
                            if (repl != null) {
                                repl.add(mine ? replacements.values(j, first, count, m) : null);
                            }
                        }
                        return new Perturbations.Chunk(keep, repl);
                    };
            out.add(engine.ablate(initial, mask.rangeSize(i), source).get(i));
        }
        return out;
    }

    /** Replacement values of one input's ablated features (FeaturePermutation's shuffles). */
    @FunctionalInterface
    interface Replacements {
        /**
         * The values replacing features {@code first .. first + count - 1} (relative to the input's
         * smallest id).
         *
         * @param input the input's index
         * @param first the first feature
         * @param count number of features
         * @param manager the chunk's manager
         * @return {@code (count, N, rest...)}
         */
        NDArray values(int input, long first, int count, NDManager manager);
    }
}
