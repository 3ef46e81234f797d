package io.github.captum4j.attr;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Randomness;

import java.util.List;

/**
 * GradientShap: the expected value of gradient × (input − baseline) over baselines \( x' \) drawn
 * from a distribution, points drawn uniformly on the path between them, and Gaussian noise on the
 * input — an approximation of SHAP values:
 *
 * <p>\( \mathrm{GS}_i(x) = \mathbb{E}_{x' \sim D,\ \alpha \sim U(0,1),\ \epsilon \sim
 * \mathcal{N}(0,\sigma^2)} \big[ (\tilde x_i - x'_i)\, \partial_i F(x' + \alpha(\tilde x - x'))
 * \big],\quad \tilde x = x + \epsilon \)
 *
 * <p>estimated with {@code nSamples} draws per example. With a single baseline and \( \sigma = 0 \)
 * its expectation is Integrated Gradients. Lundberg and Lee, "A Unified Approach to Interpreting
 * Model Predictions", 2017, <a href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)}; baselines: {@link
 * io.github.captum4j.core.Baselines#distribution} (or tensors, whose rows are the samples, or
 * numbers). Output: one tensor per input, of its shape; the convergence delta has one entry per
 * draw, {@code (N·nSamples)}, example-major.
 *
 * <pre>{@code
 * GradientShap gs = new GradientShap(model);
 * Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(references));
 * try (Attribution a = gs.attribute(in, Target.index(1),
 *         GradientShap.Options.builder().nSamples(50).stdevs(0.1).seed(7).build())) { ... }
 * }</pre>
 *
 * <p>Draws (baseline rows, noise, path points) come from libtorch's generator; Captum draws the
 * baseline rows and path points with NumPy, so seeded results agree with Captum's in distribution,
 * not bit for bit.
 */
public final class GradientShap extends GradientAttribution<GradientShap.Options> {

    /**
     * GradientShap of a model, multiplied by inputs (Captum's default).
     *
     * @param forwardFunction the model; must be differentiable
     */
    public GradientShap(ForwardFunction forwardFunction) {
        this(forwardFunction, true);
    }

    /**
     * GradientShap of a model.
     *
     * @param forwardFunction the model; must be differentiable
     * @param multiplyByInputs whether to multiply by {@code inputs - baselines}
     */
    public GradientShap(ForwardFunction forwardFunction, boolean multiplyByInputs) {
        super(
                MethodInfo.gradient("GradientShap", Options.DEFAULTS)
                        .withMultiplyByInputs(multiplyByInputs)
                        .withConvergenceDelta()
                        .withBaselines(),
                forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSamples draws per example, {@code >= 1} (default 5)
     * @param stdevs standard deviation of the input noise: one value or one per input (default 0.0)
     * @param returnConvergenceDelta whether to return the delta per draw (default false)
     * @param seed libtorch seed for the draws, or {@code null} (default)
     */
    public record Options(
            int nSamples, List<Double> stdevs, boolean returnConvergenceDelta, Integer seed) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(5, List.of(0.0), false, null);

        /**
         * Validates every component.
         *
         * @param nSamples draws per example, {@code >= 1} (default 5)
         * @param stdevs standard deviation of the input noise: one value or one per input (default
         *     0.0)
         * @param returnConvergenceDelta whether to return the delta per draw (default false)
         * @param seed libtorch seed for the draws, or {@code null} (default)
         */
        public Options {
            stdevs = SamplingOptions.check(nSamples, stdevs);
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

        /**
         * Fluent builder of {@link Options}; the sampling group's setters come from {@link
         * SamplingOptions.Builder}.
         */
        public static final class Builder extends SamplingOptions.Builder<Builder, Options> {
            private Builder(Options from) {
                super(from);
            }

            /**
             * Sets {@code returnConvergenceDelta}.
             *
             * @param value whether to return the delta
             * @return this
             */
            public Builder returnConvergenceDelta(boolean value) {
                return set("returnConvergenceDelta", value);
            }
        }
    }

    @Override
    Result compute(Inputs in, Target target, Options options, NDManager scratch) {
        NDList x = in.tensors();
        int n = options.nSamples();
        long rows = (long) in.batchSize() * n;
        NoiseSampling.checkCopies(x, n);
        double[] stdevs = NoiseSampling.perInput(options.stdevs(), x.size());
        NDList distribution = BaselineExpansion.distribution(in.baselines(), x, scratch);
        // Captum's order: baseline rows, then noise, then path points.
        NDList[] drawn =
                Randomness.draw(
                        options.seed(),
                        () ->
                                new NDList[] {
                                    NoiseSampling.drawRows(distribution, rows, scratch),
                                    NoiseSampling.noisy(x, stdevs, n, scratch),
                                    new NDList(
                                            Randomness.uniform(
                                                    scratch,
                                                    0f,
                                                    1f,
                                                    new Shape(rows),
                                                    DataType.FLOAT32))
                                });
        NDList baselines = drawn[0];
        NDList noisy = drawn[1];
        NDArray alpha = drawn[2].get(0);
        NDList scaled = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            NDArray a =
                    alpha.reshape(alphaShape(noisy.get(i).getShape()))
                            .toType(noisy.get(i).getDataType(), false);
            // Captum's _scale_input: alpha * input + (1 - alpha) * baseline.
            scaled.add(a.mul(noisy.get(i)).add(a.neg().add(1f).mul(baselines.get(i))));
        }
        List<Object> args =
                Expansion.expandArgs(
                        in.additionalArgs(), in.batchSize(), n, Expansion.Layout.REPEAT_INTERLEAVE);
        Target t = Expansion.expand(target, n, Expansion.Layout.REPEAT_INTERLEAVE);
        NDList grads = Gradients.compute(forwardFunction, scaled, args, t).gradients();
        NDList perDraw =
                multipliesByInputs() ? multiplyByDifference(grads, noisy, baselines) : grads;
        NDList attributions = new NDList(perDraw.size());
        for (NDArray a : perDraw) {
            attributions.add(NoiseSampling.sumOverCopies(a, n).div((float) n));
        }
        NDArray delta =
                options.returnConvergenceDelta()
                        ? Convergence.delta(forwardFunction, perDraw, noisy, baselines, args, t)
                        : null;
        return new Result(attributions, delta);
    }

    private static Shape alphaShape(Shape inputShape) {
        long[] dims = new long[inputShape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = inputShape.get(0);
        return new Shape(dims);
    }
}
