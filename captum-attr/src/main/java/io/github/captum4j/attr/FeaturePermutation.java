package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;
import io.github.captum4j.core.internal.Randomness;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Permutation Feature Importance: each feature (group) is shuffled across the batch, one at a time,
 * and its attribution is the change of the target output:
 *
 * <p>\( \mathrm{FP}_e(x)_n = F(x)_n - F(x^{\pi}_{g(e)})_n \), where \( x^{\pi}_{g} \) is the batch
 * with the elements of group \( g \) taken from example \( \pi(n) \) for a uniformly drawn
 * non-identity permutation \( \pi \) of the batch (one draw per feature).
 *
 * <p>Breiman, "Random Forests", Machine Learning 45, 2001; Fisher, Rudin and Dominici, "All Models
 * are Wrong, but Many are Useful", 2018, <a
 * href="https://arxiv.org/abs/1801.01489">arXiv:1801.01489</a>; Captum's {@code
 * FeaturePermutation}.
 *
 * <p>Inputs: tensors {@code (N, ...)}; no baselines; feature masks with dimension 0 of size 1.
 * With cross-tensor attribution (the default, as Captum 0.9) an id shared by several inputs is one
 * feature, shuffled in each of them (Captum draws one permutation per input it touches). A batch
 * smaller than {@code minExamplesPerBatch} (default 2) gets zero attributions, as in Captum. Output:
 * one tensor per input, of its shape. Forward passes as {@link FeatureAblation} (the unperturbed
 * batch shares the first pass). Permutations are drawn with libtorch's {@code randperm} in Captum's
 * order, so a seed reproduces Captum's draws.
 *
 * <pre>{@code
 * FeaturePermutation fp = new FeaturePermutation(model);
 * try (Attribution a = fp.attribute(Inputs.of(batch), Target.index(0),
 *         FeaturePermutation.Options.builder().seed(0).build())) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class FeaturePermutation extends SharedPassesPerturbation<FeaturePermutation.Options> {

    /**
     * Feature Permutation of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public FeaturePermutation(ForwardFunction forwardFunction) {
        super(MethodInfo.perturbation("Feature Permutation", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param featureMask per input, integer ids grouping elements (dimension 0 of size 1), or
     *     {@code null} for one feature per element (default)
     * @param perturbationsPerEval permuted features per forward pass, {@code >= 1} (default 1)
     * @param seed libtorch seed for the permutations, or {@code null} (default)
     * @param enableCrossTensorAttribution whether an id is one feature across all inputs, permuted
     *     in every input at once (default true, as Captum 0.9; false: each input's ids are permuted
     *     on their own, input after input, Captum 0.8's default)
     * @param minExamplesPerBatch a feature group is skipped (attribution 0) when the batch holds
     *     fewer examples, {@code >= 1} (default 2, Captum's {@code _min_examples_per_batch_grouped}:
     *     a batch of 1 gives zeros instead of failing; 1 makes a batch of 1 an error)
     * @param progress receives progress after every forward pass (default none)
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask,
            int perturbationsPerEval,
            Integer seed,
            boolean enableCrossTensorAttribution,
            int minExamplesPerBatch,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, null, true, 2, null);

        /**
         * Validates every component.
         *
         * @param featureMask per input, integer ids grouping elements (dimension 0 of size 1), or
         *     {@code null} for one feature per element (default)
         * @param perturbationsPerEval permuted features per forward pass, {@code >= 1} (default 1)
         * @param seed libtorch seed for the permutations, or {@code null} (default)
         * @param progress receives progress after every forward pass (default none)
         */
        public Options {
            featureMask = checkFeatureMask(featureMask);
            checkPerturbationsPerEval(perturbationsPerEval);
            Checks.atLeast(minExamplesPerBatch, 1, "minExamplesPerBatch");
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
        public static final class Builder extends FeaturePermutationBuilders.OptionsBuilder
                implements PerturbationOptionsBuilder<Builder> {
            Builder() {}

        }
    }

    /** Every target's attributions from the same permuted forward passes. */
    @Override
    List<NDList> computeMany(
            Inputs inputs, List<Target> targets, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        int n = inputs.batchSize();
        checkMasks(options);
        Perturbations engine =
                engine(inputs, null, targets, options.perturbationsPerEval(), scratch);
        if (n < options.minExamplesPerBatch()) {
            return skipped(engine, x, targets.size(), options.progress());
        }
        Checks.argument(
                n >= 2,
                "inputs must hold at least 2 examples to permute features, got %s"
                        + " (minExamplesPerBatch = %s; the default 2 gives zero attributions"
                        + " instead)",
                n,
                options.minExamplesPerBatch());
        if (options.enableCrossTensorAttribution()) {
            FeatureMask mask = FeatureMask.shared(options.featureMask(), x, false, scratch);
            return CrossTensorPermutation.attribute(
                    engine, x, mask, options.perturbationsPerEval(), options.seed(), scratch,
                    passes -> report(engine, options.progress(), passes));
        }
        FeatureMask mask = FeatureMask.perTensor(options.featureMask(), x, scratch);
        List<long[][]> perms = drawPermutations(mask, n, options.seed(), scratch);
        report(engine, options.progress(), FeatureAblation.passes(engine, mask));
        return FeatureAblation.ablateEachInput(
                engine,
                x,
                mask,
                (input, first, count, m) ->
                        shuffled(x.get(input), perms.get(input), (int) first, count, m),
                targets.size());
    }

    /**
     * The rows of {@code t} in the order of permutations {@code first .. first + count - 1}.
     *
     * @param t the input {@code (N, rest...)}
     * @param perms the permutations of the batch, {@code null} entries for the identity
     * @param first the first permutation
     * @param count number of permutations
     * @param m where the result goes
     * @return {@code (count, N, rest...)}
     */
    static NDArray shuffled(NDArray t, long[][] perms, int first, int count, NDManager m) {
        int n = Math.toIntExact(t.getShape().get(0));
        long[] rows = new long[count * n];
        for (int k = 0; k < count; k++) {
            long[] p = perms[first + k];
            for (int r = 0; r < n; r++) {
                rows[k * n + r] = p == null ? r : p[r];
            }
        }
        NDArray picked = t.get(new NDIndex("{}", m.create(rows)));
        return picked.reshape(new Shape(count, n).addAll(t.getShape().slice(1)));
    }

    private static void checkMasks(Options options) {
        if (options.featureMask() == null) {
            return;
        }
        for (int i = 0; i < options.featureMask().size(); i++) {
            NDArray mask = options.featureMask().get(i);
            Checks.argument(
                    mask.getShape().dimension() > 0 && mask.getShape().get(0) == 1,
                    "featureMask[%s] must have size 1 in dimension 0 (the same groups for"
                            + " every example), got shape %s",
                    i,
                    mask.getShape());
        }
    }

    /**
     * Every feature group skipped (Captum logs a warning): zero attributions in the output's type,
     * after the one unperturbed forward pass Captum also makes.
     */
    private static List<NDList> skipped(
            Perturbations engine, NDList x, int targets, ProgressListener progress) {
        engine.reportTo(progress, "Feature Permutation attribution", 1);
        DataType type = engine.evaluate(x, 1).getDataType();
        List<NDList> out = new ArrayList<>(targets);
        for (int k = 0; k < targets; k++) {
            NDList zeros = new NDList(x.size());
            for (NDArray t : x) {
                zeros.add(t.getManager().zeros(t.getShape(), type));
            }
            out.add(zeros);
        }
        return out;
    }

    /**
     * Per input, one non-identity permutation of the batch per feature, drawn as Captum draws them
     * ({@code randperm}, redrawn while it is the identity), input by input, feature by feature.
     */
    private static List<long[][]> drawPermutations(
            FeatureMask mask, int n, Integer seed, NDManager scratch) {
        return Randomness.draw(
                seed,
                () -> {
                    List<long[][]> out = new ArrayList<>(mask.size());
                    try (NDManager m = scratch.newSubManager()) {
                        for (int i = 0; i < mask.size(); i++) {
                            long[][] perms = new long[Math.toIntExact(mask.rangeSize(i))][];
                            for (int f = 0; f < perms.length; f++) {
                                perms[f] = nonIdentity(m, n);
                            }
                            out.add(perms);
                        }
                    }
                    return out;
                });
    }

    /**
     * One non-identity permutation of {@code 0 .. n - 1}, drawn as Captum draws it ({@code
     * randperm}, redrawn while it is the identity); call inside {@link Randomness#draw}.
     *
     * @param m where the draw's array goes
     * @param n the batch size, {@code >= 2}
     * @return the permutation
     */
    static long[] nonIdentity(NDManager m, int n) {
        long[] p;
        do {
            p = Randomness.permutation(n);
        } while (isIdentity(p));
        return p;
    }

    private static boolean isIdentity(long[] p) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] != i) {
                return false;
            }
        }
        return true;
    }
}
