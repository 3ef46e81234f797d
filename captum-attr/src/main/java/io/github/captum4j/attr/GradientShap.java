package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.RunningSum;
import io.github.captum4j.core.internal.Scope;

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
 * not bit for bit. Each draw's noise comes from its own derived seed ({@code GradientShapDraws}), so
 * {@code internalBatchSize} bounds the memory (rows, noise and gradients of one pass; only the
 * {@code N·nSamples} baseline indices and path points are kept for the call) without changing the
 * result.
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
     * @param internalBatchSize rows per forward + backward pass ({@code max(1, internalBatchSize /
     *     N)} draws of every example per pass), or {@code null} for all {@code N·nSamples} rows in
     *     one pass (default); the result does not depend on it (beyond Captum: issue #1350)
     */
    public record Options(
            int nSamples,
            List<Double> stdevs,
            boolean returnConvergenceDelta,
            Integer seed,
            Integer internalBatchSize) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(5, List.of(0.0), false, null, null);

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
            Checks.argument(
                    internalBatchSize == null || internalBatchSize >= 1,
                    "internalBatchSize must be >= 1 or null, got %s",
                    internalBatchSize);
        }

        /**
         * Options with every draw in one pass.
         *
         * @param nSamples draws per example
         * @param stdevs standard deviation of the input noise
         * @param returnConvergenceDelta whether to return the delta per draw
         * @param seed the seed, or null
         */
        public Options(
                int nSamples, List<Double> stdevs, boolean returnConvergenceDelta, Integer seed) {
            this(nSamples, stdevs, returnConvergenceDelta, seed, null);
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
             * Sets {@code internalBatchSize}.
             *
             * @param value rows per pass, or null for one pass
             * @return this
             */
            public Builder internalBatchSize(Integer value) {
                return set("internalBatchSize", value);
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
        int samples = options.nSamples();
        int batch = in.batchSize();
        int perPass =
                options.internalBatchSize() == null
                        ? samples
                        : Math.min(samples, Math.max(1, options.internalBatchSize() / batch));
        NoiseSampling.checkCopies(x, perPass);
        GradientShapDraws draws =
                GradientShapDraws.draw(
                        in, options.seed(), samples, NoiseSampling.perInput(options.stdevs(), x.size()),
                        scratch);
        RunningSum sum = new RunningSum(scratch);
        List<NDArray> deltas = new java.util.ArrayList<>();
        for (int first = 0; first < samples; first += perPass) {
            int copies = Math.min(perPass, samples - first);
            try (NDManager pass = scratch.newSubManager()) {
                Scope.borrow(pass, x);
                NDList noisy = draws.noisy(first, copies, pass);
                NDList baselines = draws.baselines(first, copies, pass);
                NDArray alpha = draws.alphas(first, copies, pass);
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
                                in.additionalArgs(), batch, copies, Expansion.Layout.REPEAT_INTERLEAVE);
                Target t = Expansion.expand(target, copies, Expansion.Layout.REPEAT_INTERLEAVE);
                NDList grads = Gradients.compute(forwardFunction, scaled, args, t).gradients();
                NDList perDraw =
                        multipliesByInputs() ? multiplyByDifference(grads, noisy, baselines) : grads;
                NDList sums = new NDList(perDraw.size());
                for (NDArray a : perDraw) {
                    sums.add(NoiseSampling.sumOverCopies(a, copies));
                }
                sum.add(sums);
                if (options.returnConvergenceDelta()) {
                    NDArray d = Convergence.delta(forwardFunction, perDraw, noisy, baselines, args, t);
                    NDArray kept = d.reshape(batch, copies);
                    kept.attach(scratch);
                    deltas.add(kept);
                }
            }
        }
        NDList attributions = new NDList(x.size());
        for (NDArray a : sum.total()) {
            attributions.add(a.div((float) samples));
        }
        NDArray delta =
                deltas.isEmpty()
                        ? null
                        : (deltas.size() == 1
                                        ? deltas.get(0)
                                        : ai.djl.ndarray.NDArrays.concat(new NDList(deltas), 1))
                                .reshape(-1);
        return new Result(attributions, delta);
    }

    private static Shape alphaShape(Shape inputShape) {
        long[] dims = new long[inputShape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = inputShape.get(0);
        return new Shape(dims);
    }
}
