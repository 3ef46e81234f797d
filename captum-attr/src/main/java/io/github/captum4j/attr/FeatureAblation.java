package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.ArrayAblation;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;

import org.immutables.value.Value;

import java.util.ArrayList;
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
 * model output's type. Forward passes: {@code ceil((features + 1) / perturbationsPerEval)}, each of
 * at most {@code perturbationsPerEval · N} rows: the unperturbed batch is evaluated as one more
 * perturbation of the first pass (Captum spends a pass of its own on it), so with {@code
 * perturbationsPerEval > features} the whole call is one forward pass of {@code (features + 1) · N}
 * rows. Several targets ({@link io.github.captum4j.core.Target#many}) share every pass.
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
 * enableCrossTensorAttribution} (default on, as in Captum 0.9: one id ablates its elements in every
 * input at once; off, each input's ids are ablated separately, Captum 0.8's default); {@code
 * perturbationsPerEval} only batches the evaluations. With {@link ForwardFunction#async} several
 * passes run at once. With one float32 input and no additional arguments the call's bookkeeping
 * (perturbed rows, target values, sums) runs on JVM arrays around the model — the same passes and
 * numbers, no engine call per feature beyond the model's own: always for an {@link ArrayForward}
 * model, and for any other synchronous model with a float32 output whose passes hold at most
 * 2<sup>20</sup> elements (small problems, where the engine's per-operation cost would dominate).
 */
@Value.Enclosing
public final class FeatureAblation extends SharedPassesPerturbation<FeatureAblation.Options> {

    /**
     * Feature Ablation of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public FeatureAblation(ForwardFunction forwardFunction) {
        super(replacement("Feature Ablation", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param featureMask per input, integer ids grouping elements (shape of the input, dimension 0
     *     either 1 or N, other dimensions equal or 1), or {@code null} for one feature per element
     *     (default; numbered consecutively over the inputs, so no two inputs share an id)
     * @param perturbationsPerEval perturbations per forward pass, {@code >= 1} (default 1)
     * @param enableCrossTensorAttribution whether an id is one feature across all inputs, ablated
     *     in every input at once (default true, Captum 0.9's behaviour, the only one of Captum's
     *     main branch); false gives Captum 0.8's default: each input's ids are ablated on their
     *     own, one input after the other
     * @param progress receives progress after every forward pass (default {@link
     *     ProgressListener#NONE}; Captum's {@code show_progress})
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask,
            int perturbationsPerEval,
            boolean enableCrossTensorAttribution,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, true, ProgressListener.NONE);

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
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends FeatureAblationBuilders.OptionsBuilder
                implements PerturbationOptionsBuilder<Builder> {
            Builder() {}
        }
    }

    /** Every target's attributions from the same perturbed forward passes. */
    @Override
    List<NDList> computeMany(
            Inputs inputs, List<Target> targets, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        ArrayForward onArrays =
                ArrayAblation.model(
                        forwardFunction,
                        x,
                        inputs.additionalArgs(),
                        options.perturbationsPerEval(),
                        scratch);
        if (onArrays != null) {
            try {
                // One input: the shared and the per-input numbering are the same.
                return ArrayAblation.ablate(
                        onArrays,
                        x.get(0),
                        inputs.baselines(),
                        options.featureMask() == null
                                ? null
                                : FeatureMask.perTensor(options.featureMask(), x, scratch),
                        targets,
                        options.perturbationsPerEval(),
                        options.progress(),
                        taskName(),
                        scratch);
            } catch (ArrayAblation.NotFloat32 e) {
                // the tensor path below keeps the model's output type
            }
        }
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        Perturbations engine =
                engine(inputs, baselines, targets, options.perturbationsPerEval(), scratch);
        if (options.enableCrossTensorAttribution()) {
            FeatureMask mask = FeatureMask.shared(options.featureMask(), x, false, scratch);
            long lo = Long.MAX_VALUE;
            for (int i = 0; i < x.size(); i++) {
                lo = Math.min(lo, mask.min(i));
            }
            long start = lo;
            long features = mask.count() - lo;
            report(engine, options.progress(), engine.ablationPasses(features, true));
            return engine.ablate(
                    features,
                    (first, count, m) -> {
                        NDList keep = new NDList(x.size());
                        for (int i = 0; i < x.size(); i++) {
                            keep.add(mask.ablationKeep(i, start + first, count, m));
                        }
                        return new Perturbations.Chunk(keep);
                    });
        }
        FeatureMask mask = FeatureMask.perTensor(options.featureMask(), x, scratch);
        report(engine, options.progress(), passes(engine, mask));
        return ablateEachInput(engine, x, mask, null, targets.size());
    }

    /**
     * Forward passes of {@link #ablateEachInput}: each input's features, the unperturbed batch
     * riding along with the first input's.
     *
     * @param engine the engine
     * @param mask per-input feature ids
     * @return the number of passes
     */
    static long passes(Perturbations engine, FeatureMask mask) {
        long passes = 0;
        for (int i = 0; i < mask.size(); i++) {
            passes += engine.ablationPasses(mask.rangeSize(i), i == 0);
        }
        return passes;
    }

    /**
     * Ablates the features of each input in turn (Captum 0.8's loop over inputs, without
     * cross-tensor attribution), replacing them by the baselines or by the given per-chunk
     * replacements.
     *
     * @param engine the engine
     * @param x the inputs
     * @param mask per-input feature ids
     * @param replacements builds the replacement values of input {@code i}'s features {@code first
     *     ..}, or {@code null} for the baselines
     * @param targets number of the engine's targets
     * @return per target, the attributions
     */
    static List<NDList> ablateEachInput(
            Perturbations engine,
            NDList x,
            FeatureMask mask,
            Replacements replacements,
            int targets) {
        List<NDList> out = new ArrayList<>(targets);
        for (int k = 0; k < targets; k++) {
            out.add(new NDList(x.size()));
        }
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
            List<NDList> perTarget = engine.ablate(mask.rangeSize(i), source);
            for (int k = 0; k < targets; k++) {
                out.get(k).add(perTarget.get(k).get(i));
            }
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
