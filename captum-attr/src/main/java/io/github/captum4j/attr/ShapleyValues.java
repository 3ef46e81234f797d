package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;

import org.immutables.value.Value;

import java.util.Arrays;
import java.util.List;

/**
 * Shapley Values, exact: every coalition of features is evaluated once and the values are combined
 * with the Shapley weights:
 *
 * <p>\( \phi_f = \sum_{C \subseteq P \setminus \{f\}} \frac{|C|!\,(|P| - |C| - 1)!}{|P|!} \big( v(C
 * \cup \{f\}) - v(C) \big) \)
 *
 * <p>where \( P \) is the set of features and \( v(C) \) the target output with the features of \(
 * C \) taken from the input, the others from the baseline. Efficiency holds: \( \sum_f \phi_f =
 * v(P) - v(\emptyset) \); a feature the output ignores gets 0. Captum's {@code ShapleyValues}
 * averages the marginal contributions over all \( |P|! \) orders with \( |P| \cdot |P|! \) forward
 * rows per example; this implementation needs \( 2^{|P|} \) (5 features: 32 instead of 600), with
 * the same result.
 *
 * <p>Shapley, "A Value for n-Person Games", 1953; Lundberg and Lee, "A Unified Approach to
 * Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>.
 *
 * <p>Inputs and feature masks as {@link ShapleyValueSampling} (ids shared across inputs); at most
 * {@value #MAX_FEATURES} features. Output: one tensor per input, of its shape. Forward passes:
 * {@code ceil(2^features / perturbationsPerEval)}.
 *
 * <pre>{@code
 * ShapleyValues sv = new ShapleyValues(model);
 * try (Attribution a = sv.attribute(Inputs.of(x), Target.index(0),
 *         ShapleyValues.Options.DEFAULTS.withFeatureMask(groups).withPerturbationsPerEval(32))) {
 *     ...
 * }
 * }</pre>
 */
@Value.Enclosing
public final class ShapleyValues extends PerturbationAttribution<ShapleyValues.Options> {

    /** Most features an exact computation takes ({@code 2^24} coalitions). */
    public static final int MAX_FEATURES = 24;

    /**
     * Exact Shapley values of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public ShapleyValues(ForwardFunction forwardFunction) {
        super(replacement("Shapley Values", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     * A copy with one component changed: {@code withX(value)} for every component {@code x}
     * (generated at compile time, Immutables), validated like a new record.
     *
     * @param featureMask per input, integer ids of features shared across inputs, or {@code null}
     *     for one feature per element (default)
     * @param perturbationsPerEval coalitions per forward pass, {@code >= 1} (default 1)
     * @param progress receives progress after every forward pass (default none)
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask, int perturbationsPerEval, ProgressListener progress)
            implements ShapleyValuesBuilders.WithOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, null);

        /**
         * Validates every component.
         *
         * @param featureMask per input, integer ids of features shared across inputs, or {@code
         *     null} for one feature per element (default)
         * @param perturbationsPerEval coalitions per forward pass, {@code >= 1} (default 1)
         * @param progress receives progress after every forward pass (default none)
         */
        public Options {
            featureMask = checkFeatureMask(featureMask);
            checkPerturbationsPerEval(perturbationsPerEval);
            progress = orNone(progress);
        }

        /**
         * These options with another {@code featureMask}.
         *
         * @param masks the masks, one per input, or none for one feature per element
         * @return the new options, validated
         */
        public Options withFeatureMask(NDArray... masks) {
            return withFeatureMask(
                    masks == null || masks.length == 0 ? null : Arrays.asList(masks));
        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        FeatureMask mask = FeatureMask.shared(options.featureMask(), x, false, scratch);
        Checks.argument(
                mask.count() <= MAX_FEATURES,
                "ShapleyValues evaluates all 2^features coalitions: at most %s features, got %s;"
                        + " group elements with featureMask or use ShapleyValueSampling",
                MAX_FEATURES,
                mask.count());
        int f = (int) mask.count();
        long coalitions = 1L << f;
        Perturbations engine =
                engine(inputs, baselines, target, options.perturbationsPerEval(), scratch);
        report(engine, options.progress(), engine.passes(coalitions));
        NDArray powers = powersOfTwo(f, scratch);
        // v[c, n]: coalition c holds feature g iff bit g of c is set.
        NDArray v =
                engine.evaluateAll(
                                coalitions,
                                (first, count, m) ->
                                        new Perturbations.Chunk(
                                                mask.keepFromPresence(
                                                        bits(
                                                                        FeatureMask.range(
                                                                                m, first, count),
                                                                        powers)
                                                                .eq(1))))
                        .toType(DataType.FLOAT64, false);
        NDArray phi = combine(v, f, scratch);
        return mask.spread(
                phi.transpose().toType(DataType.FLOAT32, false), ShapleyValueSampling.shapes(x));
    }

    /**
     * \( \phi_f = \sum_i w(|i|) (v[i \text{ with } f] - v[i \text{ without } f]) \) for every
     * feature, with the differences taken first (they are small next to the values).
     */
    private static NDArray combine(NDArray v, int f, NDManager scratch) {
        long n = v.getShape().get(1);
        long half = 1L << (f - 1);
        NDArray weights = shapleyWeights(f, scratch).reshape(1, half);
        NDList phi = new NDList(f);
        for (int g = 0; g < f; g++) {
            // Index c = high · 2^(g+1) + bit_g · 2^g + low: the pairs (bit 0, bit 1) for the
            // other bits i = high · 2^g + low, which keep their popcount.
            NDArray split = v.reshape(1L << (f - 1 - g), 2, 1L << g, n);
            NDArray with = split.get(new NDIndex().addAllDim().addIndices(1));
            NDArray without = split.get(new NDIndex().addAllDim().addIndices(0));
            phi.add(weights.matMul(with.sub(without).reshape(half, n)));
        }
        return NDArrays.concat(phi, 0);
    }

    /**
     * \( w(i) = |i|!\,(F - |i| - 1)! / F! = 1 / (F \binom{F-1}{|i|}) \) over the {@code F-1} other
     * bits.
     */
    private static NDArray shapleyWeights(int f, NDManager m) {
        double[] table = new double[f];
        double binomial = 1;
        for (int s = 0; s < f; s++) {
            table[s] = 1 / (f * binomial);
            binomial = binomial * (f - 1 - s) / (s + 1);
        }
        if (f == 1) {
            return m.create(table);
        }
        NDArray popcount =
                bits(FeatureMask.range(m, 0, 1L << (f - 1)), powersOfTwo(f - 1, m))
                        .sum(new int[] {1});
        return m.create(table).get(new NDIndex("{}", popcount.toType(DataType.INT64, false)));
    }

    private static NDArray powersOfTwo(int f, NDManager m) {
        double[] p = new double[f];
        for (int g = 0; g < f; g++) {
            p[g] = Math.scalb(1.0, g);
        }
        return m.create(p).reshape(1, f);
    }

    /** Bits of integers {@code (K)} as {@code (K, F)} 0/1 doubles (exact below 2^53). */
    private static NDArray bits(NDArray values, NDArray powers) {
        long k = values.getShape().get(0);
        return values.toType(DataType.FLOAT64, false).reshape(k, 1).div(powers).floor().mod(2);
    }
}
