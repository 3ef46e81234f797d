package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.Perturbations;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Shapley Value Sampling: the Shapley value of each feature (group), estimated by adding the
 * features to the baseline one by one in {@code nSamples} random orders and averaging each
 * feature's marginal contribution:
 *
 * <p>\( \hat\phi_f = \frac{1}{S} \sum_{s=1}^{S} \big( v(P^{\pi_s}_f \cup \{f\}) - v(P^{\pi_s}_f)
 * \big) \), where \( P^{\pi}_f \) is the set of features before \( f \) in order \( \pi \) and \(
 * v(C) \) is the target output with the features of \( C \) taken from the input, the others from
 * the baseline. An unbiased estimate of the exact Shapley value ({@link ShapleyValues}); every
 * sample satisfies efficiency, \( \sum_f \hat\phi_f = v(\mathrm{all}) - v(\emptyset) \).
 *
 * <p>Castro, Gómez and Tejada, "Polynomial calculation of the Shapley value based on sampling",
 * Computers &amp; Operations Research 36, 2009 (doi:10.1016/j.cor.2008.04.004); Štrumbelj and
 * Kononenko, 2010; Captum's {@code ShapleyValueSampling}.
 *
 * <p>Inputs: tensors {@code (N, ...)}; baselines as {@link FeatureAblation}. Feature ids are shared
 * across inputs (the same id in two inputs is one feature), {@code max(id) + 1} features, default
 * one per element numbered over all inputs. Output: one tensor per input, of its shape. Forward
 * passes: 1 + {@code ceil(nSamples · features / perturbationsPerEval)}. Orders are drawn with
 * libtorch's {@code randperm}, as Captum draws them.
 *
 * <pre>{@code
 * ShapleyValueSampling svs = new ShapleyValueSampling(model);
 * try (Attribution a = svs.attribute(Inputs.of(x).withBaselines(Baselines.tensors(reference)),
 *         Target.index(1), ShapleyValueSampling.Options.builder().nSamples(200).seed(0).build())) {
 *     ...
 * }
 * }</pre>
 */
@Value.Enclosing
public final class ShapleyValueSampling
        extends PerturbationAttribution<ShapleyValueSampling.Options> {

    /**
     * Shapley Value Sampling of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public ShapleyValueSampling(ForwardFunction forwardFunction) {
        super(replacement("Shapley Value Sampling", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param featureMask per input, integer ids of features shared across inputs, or {@code null}
     *     for one feature per element (default)
     * @param nSamples number of random feature orders, {@code >= 1} (default 25)
     * @param perturbationsPerEval perturbations per forward pass, {@code >= 1} (default 1)
     * @param seed libtorch seed for the orders, or {@code null} (default)
     * @param progress receives progress after every forward pass (default none)
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask,
            int nSamples,
            int perturbationsPerEval,
            Integer seed,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 25, 1, null, null);

        /**
         * Validates every component.
         *
         * @param featureMask per input, integer ids of features shared across inputs, or {@code
         *     null} for one feature per element (default)
         * @param nSamples number of random feature orders, {@code >= 1} (default 25)
         * @param perturbationsPerEval perturbations per forward pass, {@code >= 1} (default 1)
         * @param seed libtorch seed for the orders, or {@code null} (default)
         * @param progress receives progress after every forward pass (default none)
         */
        public Options {
            featureMask = checkFeatureMask(featureMask);
            Checks.atLeast(nSamples, 1, "nSamples");
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
        public static final class Builder extends ShapleyValueSamplingBuilders.OptionsBuilder
                implements PerturbationOptionsBuilder<Builder> {
            Builder() {}
        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        FeatureMask mask = FeatureMask.shared(options.featureMask(), x, false, scratch);
        int f = Math.toIntExact(mask.count());
        int s = options.nSamples();
        NDArray orders =
                Randomness.draw(
                        options.seed(),
                        () -> {
                            List<NDArray> perms = new ArrayList<>(s);
                            for (int i = 0; i < s; i++) {
                                perms.add(scratch.create(Randomness.permutation(f)));
                            }
                            return NDArrays.stack(new NDList(perms));
                        });
        // rank[s, g] = position of feature g in order s: feature g is present at step j iff
        // rank <= j.
        NDArray rank = orders.argSort(1);
        Perturbations engine =
                engine(inputs, baselines, target, options.perturbationsPerEval(), scratch);
        report(engine, options.progress(), 1 + engine.passes((long) s * f));
        NDArray start = engine.evaluate(baselines, 1);
        NDArray outputs =
                engine.evaluateAll(
                        (long) s * f,
                        (first, count, m) -> {
                            Scope.borrow(m, List.of(rank));
                            long[] sample = new long[count];
                            long[] step = new long[count];
                            for (int k = 0; k < count; k++) {
                                sample[k] = (first + k) / f;
                                step[k] = (first + k) % f;
                            }
                            NDArray present =
                                    rank.get(new NDIndex("{}", m.create(sample)))
                                            .lte(m.create(step).reshape(count, 1));
                            return new Perturbations.Chunk(mask.keepFromPresence(present));
                        });
        long n = inputs.batchSize();
        NDArray v = outputs.reshape(s, f, n);
        NDArray previous =
                NDArrays.concat(
                        new NDList(
                                start.reshape(1, 1, n).broadcast(new Shape(s, 1, n)),
                                v.get(":, :-1, :")),
                        1);
        NDArray marginal = v.sub(previous);
        // The marginal contribution of feature g in order s sits at step rank[s, g].
        NDArray perFeature =
                marginal.gather(rank.reshape(s, f, 1).broadcast(new Shape(s, f, n)), 1)
                        .sum(new int[] {0})
                        .div(s);
        return mask.spread(perFeature.transpose().toType(DataType.FLOAT32, false), shapes(x));
    }

    /**
     * The shapes of the inputs.
     *
     * @param x the inputs
     * @return their shapes
     */
    static List<Shape> shapes(NDList x) {
        List<Shape> out = new ArrayList<>(x.size());
        for (NDArray t : x) {
            out.add(t.getShape());
        }
        return out;
    }
}
