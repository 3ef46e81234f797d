package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.FeatureMask;
import io.github.captum4j.core.internal.LinearModels;
import io.github.captum4j.core.internal.Perturbations;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.internal.Sizes;

import org.immutables.value.Value;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * LIME: an interpretable surrogate model is fitted, per example, to the model's outputs on random
 * binary perturbations (a feature is kept from the input where the interpretable sample is 1 and
 * taken from the baseline where it is 0), each sample weighted by its similarity to the input; the
 * surrogate's coefficients are the attributions:
 *
 * <p>\( \hat\beta = \arg\min_\beta \sum_{s} \pi(x, z_s) \big( F(h_x(z_s)) - \beta_0 - z_s^\top
 * \beta \big)^2 + \Omega(\beta) \), with samples \( z_s \in \{0,1\}^F \), the similarity kernel \(
 * \pi \) and the surrogate's penalty \( \Omega \) (Lasso: \( \alpha \lVert\beta\rVert_1 \)).
 *
 * <p>Ribeiro, Singh and Guestrin, "Why Should I Trust You?: Explaining the Predictions of Any
 * Classifier", 2016, <a href="https://arxiv.org/abs/1602.04938">arXiv:1602.04938</a>; Captum's
 * {@code Lime} with its defaults: {@link SkLearnLasso}{@code (0.01)}, an exponential kernel on the
 * cosine distance with width 1 ({@link SimilarityFunction#DEFAULT}), and uniform binary samples
 * ({@link PerturbFunction#DEFAULT}).
 *
 * <p>Inputs: tensors {@code (N, ...)}; baselines as {@link FeatureAblation}; feature ids shared
 * across inputs (shifted to start at 0), default one per element. Every example gets its own
 * samples and surrogate; the samples of all examples are evaluated together, {@code
 * perturbationsPerEval · N} rows per forward pass, and from 8 examples on the surrogates are fitted
 * in parallel on the common fork-join pool. A sample drawn several times for one example is
 * evaluated once and enters the fit as often as it was drawn, which gives Captum's result with
 * fewer forward rows (about 35% fewer for KernelShap's 200 samples of 10 features); the forward
 * function must therefore be deterministic, as a model in inference mode is. Output: one tensor per
 * input, of its shape (each element holds its feature's coefficient), or with {@code
 * returnInputShape = false} a single tensor {@code (N, F)} of coefficients.
 *
 * <pre>{@code
 * Lime lime = new Lime(ForwardFunction.blackBox(model));
 * try (Attribution a = lime.attribute(Inputs.of(x), Target.index(0),
 *         Lime.Options.builder().nSamples(500).featureMask(segments).seed(1).build())) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class Lime extends PerturbationAttribution<Lime.Options> {

    /** Batch size from which the examples' surrogates are fitted in parallel. */
    private static final int PARALLEL_FITS = 8;

    private final InterpretableModel interpretableModel;
    private final SimilarityFunction similarityFunc;
    private final SampleWeights sampleWeights;
    private final PerturbFunction perturbFunc;

    /**
     * Lime with Captum's defaults: Lasso with {@code alpha = 0.01}, exponential cosine kernel of
     * width 1, uniform binary samples.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public Lime(ForwardFunction forwardFunction) {
        this(
                forwardFunction,
                new SkLearnLasso(0.01),
                SimilarityFunction.DEFAULT,
                PerturbFunction.DEFAULT);
    }

    /**
     * Lime with the given surrogate, kernel and sampler (Captum's constructor arguments).
     *
     * @param forwardFunction the model, any function (a black box too)
     * @param interpretableModel the surrogate model
     * @param similarityFunc the similarity kernel
     * @param perturbFunc the sampler of interpretable samples
     */
    public Lime(
            ForwardFunction forwardFunction,
            InterpretableModel interpretableModel,
            SimilarityFunction similarityFunc,
            PerturbFunction perturbFunc) {
        super(replacement("Lime", Options.DEFAULTS), forwardFunction);
        this.interpretableModel = Checks.notNull(interpretableModel, "interpretableModel");
        this.similarityFunc = Checks.notNull(similarityFunc, "similarityFunc");
        this.sampleWeights = null;
        this.perturbFunc = Checks.notNull(perturbFunc, "perturbFunc");
    }

    /**
     * For {@link KernelShap}: Lime whose weights depend on the interpretable samples only, so they
     * are computed in Java from the samples rather than from the perturbed tensors.
     */
    Lime(
            String name,
            ForwardFunction forwardFunction,
            InterpretableModel interpretableModel,
            SampleWeights sampleWeights,
            PerturbFunction perturbFunc) {
        super(replacement(name, Options.DEFAULTS), forwardFunction);
        this.interpretableModel = Checks.notNull(interpretableModel, "interpretableModel");
        this.similarityFunc = null;
        this.sampleWeights = Checks.notNull(sampleWeights, "sampleWeights");
        this.perturbFunc = Checks.notNull(perturbFunc, "perturbFunc");
    }

    /** A similarity that depends on the interpretable sample alone (KernelShap's kernel). */
    @FunctionalInterface
    interface SampleWeights {
        /**
         * The weight of one sample.
         *
         * @param samples interpretable samples, 0/1 bytes
         * @param offset where the sample's {@code features} entries start
         * @param features number of interpretable features F
         * @return the weight, {@code >= 0}
         */
        float weight(byte[] samples, int offset, int features);
    }

    /**
     * The weight of each interpretable sample (Captum's {@code similarity_func}), for a whole chunk
     * of samples at once.
     */
    @FunctionalInterface
    public interface SimilarityFunction {

        /** Captum's default: {@code exponentialKernel(DistanceMode.COSINE, 1.0)}. */
        SimilarityFunction DEFAULT = exponentialKernel(DistanceMode.COSINE, 1.0);

        /**
         * The similarities of perturbed examples to their originals.
         *
         * @param original per input, the examples {@code (N, rest...)}
         * @param perturbed per input, the perturbed examples {@code (K, N, rest...)}
         * @param interpretable the interpretable samples {@code (K, N, F)}, boolean
         * @return the weights {@code (K, N)}, {@code >= 0}
         */
        NDArray similarity(NDList original, NDList perturbed, NDArray interpretable);

        /**
         * Captum's {@code get_exp_kernel_similarity_function}: \( \exp(-d^2 / (2 w^2)) \) of the
         * distance \( d \) between the flattened (all inputs concatenated) original and perturbed
         * example.
         *
         * @param distanceMode cosine distance \( 1 - \cos \) or Euclidean distance
         * @param kernelWidth the width \( w \), {@code > 0}
         * @return the function
         */
        static SimilarityFunction exponentialKernel(DistanceMode distanceMode, double kernelWidth) {
            Checks.notNull(distanceMode, "distanceMode");
            Checks.argument(
                    kernelWidth > 0 && Double.isFinite(kernelWidth),
                    "kernelWidth must be finite and > 0, got %s",
                    kernelWidth);
            return (original, perturbed, interpretable) ->
                    LimeKernels.exponential(original, perturbed, distanceMode, kernelWidth);
        }
    }

    /** The distance of {@link SimilarityFunction#exponentialKernel}. */
    public enum DistanceMode {
        /** \( 1 - \cos(x, \tilde x) \) (Captum's default). */
        COSINE,
        /** \( \lVert x - \tilde x \rVert_2 \). */
        EUCLIDEAN
    }

    /**
     * Draws the interpretable samples (Captum's {@code perturb_func}), for all examples at once;
     * called under the seeded generator lock.
     */
    @FunctionalInterface
    public interface PerturbFunction {

        /** Captum's default: every feature kept with probability 1/2, independently. */
        PerturbFunction DEFAULT =
                (examples, nSamples, features, manager) ->
                        Randomness.uniform(
                                        manager,
                                        0f,
                                        1f,
                                        new Shape(examples, nSamples, features),
                                        DataType.FLOAT32)
                                .lt(0.5f);

        /**
         * Draws the samples.
         *
         * @param examples number of examples N
         * @param nSamples samples per example S
         * @param features interpretable features F
         * @param manager where the samples go (draw with its {@code random*} methods)
         * @return {@code (N, S, F)} boolean (or 0/1 numbers), true = keep the input's feature
         */
        NDArray sample(int examples, int nSamples, int features, NDManager manager);
    }

    /**
     * How one call runs, with Captum's names and defaults (shared by {@link KernelShap}).
     *
     * @param featureMask per input, integer ids of interpretable features shared across inputs, or
     *     {@code null} for one feature per element (default)
     * @param nSamples interpretable samples per example, {@code >= 1} (default 25)
     * @param perturbationsPerEval distinct samples (per example) per forward pass, {@code >= 1}
     *     (default 1)
     * @param returnInputShape whether to return attributions of the inputs' shapes (default true)
     *     or the coefficients {@code (N, F)}
     * @param seed libtorch seed for the samples, or {@code null} (default)
     * @param progress receives progress after every forward pass (default none)
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask,
            int nSamples,
            int perturbationsPerEval,
            boolean returnInputShape,
            Integer seed,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 25, 1, true, null, null);

        /**
         * Validates every component.
         *
         * @param featureMask per input, integer ids of interpretable features shared across inputs,
         *     or {@code null} for one feature per element (default)
         * @param nSamples interpretable samples per example, {@code >= 1} (default 25)
         * @param perturbationsPerEval distinct samples (per example) per forward pass, {@code >= 1}
         *     (default 1)
         * @param returnInputShape whether to return attributions of the inputs' shapes (default
         *     true) or the coefficients {@code (N, F)}
         * @param seed libtorch seed for the samples, or {@code null} (default)
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
        public static final class Builder extends LimeBuilders.OptionsBuilder
                implements PerturbationOptionsBuilder<Builder> {
            Builder() {}

        }
    }

    @Override
    NDList compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList baselines = BaselineExpansion.expandBroadcast(inputs.baselines(), x, scratch);
        FeatureMask mask = FeatureMask.shared(options.featureMask(), x, true, scratch);
        int n = inputs.batchSize();
        int s = options.nSamples();
        int f = Sizes.elements("featureMask (its number of feature ids)", mask.count());
        // Every size this call allocates follows from these: check them before any work.
        Sizes.elements("nSamples", n, s, f);
        LinearModels.checkFitSize(s, f);
        NDArray drawn =
                Randomness.draw(options.seed(), () -> perturbFunc.sample(n, s, f, scratch))
                        .toType(DataType.BOOLEAN, false);
        Checks.argument(
                drawn.getShape().equals(new Shape(n, s, f)),
                "perturbFunc must return shape (%s, %s, %s), got %s",
                n,
                s,
                f,
                drawn.getShape());
        byte[] z = drawn.toByteArray();
        // Each distinct sample of an example is evaluated once, sample-major (W, N, F) as the
        // engine lays out perturbations.
        DistinctSamples distinct = DistinctSamples.of(z, n, s, f);
        int width = distinct.width;
        NDArray samples =
                scratch.create(
                        ByteBuffer.wrap(distinct.evaluated),
                        new Shape(width, n, f),
                        DataType.BOOLEAN);
        Perturbations engine =
                engine(inputs, baselines, target, options.perturbationsPerEval(), scratch);
        report(engine, options.progress(), engine.passes(width));
        List<NDArray> outputs = new ArrayList<>();
        List<NDArray> weights = new ArrayList<>();
        engine.run(
                width,
                (first, count, m) -> {
                    Scope.borrow(m, List.of(samples));
                    return new Perturbations.Chunk(
                            mask.keepFromPresence(samples.get(first + ":" + (first + count))));
                },
                (first, chunk, perturbed, out, m) -> {
                    if (similarityFunc != null) {
                        NDArray present =
                                samples.get(first + ":" + (first + out.getShape().get(0)));
                        NDArray w = similarityFunc.similarity(x, unflatten(perturbed, x), present);
                        w.attach(scratch);
                        weights.add(w);
                    }
                    out.attach(scratch);
                    outputs.add(out);
                });
        float[] y =
                distinct.spread(
                        concat(outputs).toType(DataType.FLOAT32, false).toFloatArray(), n, s);
        float[] w =
                similarityFunc != null
                        ? distinct.spread(
                                concat(weights).toType(DataType.FLOAT32, false).toFloatArray(),
                                n,
                                s)
                        : weightsOf(z, n, s, f);
        float[] coefs = new float[n * f];
        // The surrogates are independent: fit them on the common pool (the model is idle now).
        IntStream examples = IntStream.range(0, n);
        (n >= PARALLEL_FITS ? examples.parallel() : examples)
                .forEach(e -> fitExample(e, n, s, f, z, y, w, coefs));
        NDArray coefficients = scratch.create(coefs, new Shape(n, f));
        return options.returnInputShape()
                ? mask.spread(coefficients, ShapleyValueSampling.shapes(x))
                : new NDList(coefficients);
    }

    /** {@link #sampleWeights} of every sample, laid out {@code (S, N)} as the model's outputs. */
    private float[] weightsOf(byte[] z, int n, int s, int f) {
        float[] w = new float[s * n];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < s; k++) {
                w[k * n + e] = sampleWeights.weight(z, (e * s + k) * f, f);
            }
        }
        return w;
    }

    /** Fits example {@code e}'s surrogate on its samples and stores its coefficients. */
    private void fitExample(
            int e, int n, int s, int f, byte[] z, float[] y, float[] w, float[] coefs) {
        if (interpretableModel instanceof SkLearnLinearRegression lr && lr.fitIntercept()) {
            // fitted on the sample bytes in place, without a dense copy
            double[] beta = LinearModels.linearRegressionOfSamples(z, e * s * f, s, f, y, w, e, n);
            for (int g = 0; g < f; g++) {
                coefs[e * f + g] = (float) beta[g];
            }
            return;
        }
        double[][] xe = new double[s][f];
        double[] ye = new double[s];
        double[] we = new double[s];
        for (int k = 0; k < s; k++) {
            for (int g = 0; g < f; g++) {
                xe[k][g] = z[(e * s + k) * f + g];
            }
            ye[k] = y[k * n + e];
            we[k] = w[k * n + e];
        }
        double[] beta = interpretableModel.fit(xe, ye, we);
        Checks.state(
                beta != null && beta.length == f,
                "interpretableModel returned %s coefficients for %s features",
                beta == null ? null : beta.length,
                f);
        for (int g = 0; g < f; g++) {
            coefs[e * f + g] = (float) beta[g];
        }
    }

    private static NDArray concat(List<NDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
    }

    /** Rows {@code (K·N, rest...)} as {@code (K, N, rest...)}. */
    private static NDList unflatten(NDList rows, NDList x) {
        NDList out = new NDList(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Shape xs = x.get(i).getShape();
            out.add(rows.get(i).reshape(new Shape(-1).addAll(xs)));
        }
        return out;
    }
}
