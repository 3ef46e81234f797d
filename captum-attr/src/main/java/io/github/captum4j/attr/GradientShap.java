package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;

import org.immutables.value.Value;

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
@Value.Enclosing
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
        super(completeness("GradientShap", Options.DEFAULTS, multiplyByInputs), forwardFunction);
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
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSamples,
            List<Double> stdevs,
            boolean returnConvergenceDelta,
            Integer seed,
            Integer internalBatchSize,
            ProgressListener progress)
            implements SamplingOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(5, List.of(0.0), false, null, null, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSamples draws per example, {@code >= 1} (default 5)
         * @param stdevs standard deviation of the input noise: one value or one per input (default
         *     0.0)
         * @param returnConvergenceDelta whether to return the delta per draw (default false)
         * @param seed libtorch seed for the draws, or {@code null} (default)
         * @param internalBatchSize rows per forward + backward pass, or {@code null} (default)
         * @param progress told after every pass (default {@link ProgressListener#NONE})
         */
        public Options {
            stdevs = SamplingOptions.check(nSamples, stdevs, internalBatchSize);
            progress = PathOptions.progress(progress);
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
            this(nSamples, stdevs, returnConvergenceDelta, seed, null, ProgressListener.NONE);
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
        public static final class Builder extends GradientShapBuilders.OptionsBuilder
                implements SamplingOptions.Builder<Builder, Options> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs in, Target target, Options options, NDManager scratch) {
        ForwardFunction deltaOf = options.returnConvergenceDelta() ? forwardFunction : null;
        return GradientShapPasses.run(in, target, options, name(), deltaOf, this::perDraw, scratch);
    }

    /** Gradients at the pass's path points, times (noisy input - baseline) if multiplying. */
    private NDList perDraw(
            NDList noisy, NDList baselines, NDList scaled, List<Object> args, Target t) {
        NDList grads = Gradients.compute(forwardFunction, scaled, args, t).gradients();
        return multipliesByInputs() ? multiplyByDifference(grads, noisy, baselines) : grads;
    }
}
