package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
 * <p>Inputs: tensors {@code (N, ...)} with {@code N >= 2}; no baselines; feature masks with
 * dimension 0 of size 1. Output: one tensor per input, of its shape. Forward passes as {@link
 * FeatureAblation}. Permutations are drawn with libtorch's {@code randperm} in Captum's order, so a
 * seed reproduces Captum's draws.
 *
 * <pre>{@code
 * FeaturePermutation fp = new FeaturePermutation(model);
 * try (Attribution a = fp.attribute(Inputs.of(batch), Target.index(0),
 *         FeaturePermutation.Options.builder().seed(0).build())) { ... }
 * }</pre>
 */
public final class FeaturePermutation extends PerturbationAttribution<FeaturePermutation.Options> {

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
     * @param progress receives progress after every forward pass (default none)
     */
    public record Options(
            List<NDArray> featureMask,
            int perturbationsPerEval,
            Integer seed,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, null, null);

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
             * Sets {@code seed}.
             *
             * @param value the seed, or null
             * @return this
             */
            public Builder seed(Integer value) {
                return set("seed", value);
            }
        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        int n = inputs.batchSize();
        Checks.argument(
                n >= 2, "inputs must hold at least 2 examples to permute features, got %s", n);
        if (options.featureMask() != null) {
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
        FeatureMask mask = FeatureMask.perTensor(options.featureMask(), x, scratch);
        List<long[][]> perms = drawPermutations(mask, n, options.seed(), scratch);
        Perturbations engine =
                engine(inputs, null, target, options.perturbationsPerEval(), scratch);
        report(engine, options.progress(), FeatureAblation.passes(engine, mask));
        return FeatureAblation.ablateEachInput(
                engine,
                x,
                mask,
                (input, first, count, m) -> {
                    long[] rows = new long[count * n];
                    for (int k = 0; k < count; k++) {
                        System.arraycopy(perms.get(input)[(int) first + k], 0, rows, k * n, n);
                    }
                    NDArray t = x.get(input);
                    NDArray shuffled = t.get(new NDIndex("{}", m.create(rows)));
                    return shuffled.reshape(new Shape(count, n).addAll(t.getShape().slice(1)));
                });
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
                                long[] p;
                                do {
                                    p = Randomness.permutation(n);
                                } while (isIdentity(p));
                                perms[f] = p;
                            }
                            out.add(perms);
                        }
                    }
                    return out;
                });
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
