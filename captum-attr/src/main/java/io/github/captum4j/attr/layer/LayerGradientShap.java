package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.SamplingOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;

/**
 * Layer GradientShap: GradientShap in a layer's space — the expected value, over baselines \( x' \)
 * drawn from a distribution, points drawn uniformly between them and the (noisy) input, of the
 * layer gradient times the layer's change between baseline and input:
 *
 * <p>\( \mathrm{LGS}(x) = \mathbb{E}_{x' \sim D,\ \alpha \sim U(0,1),\ \epsilon \sim
 * \mathcal{N}(0,\sigma^2)} \Big[ \frac{\partial F}{\partial a_\ell}\big(x' + \alpha (\tilde x -
 * x')\big) \big(a_\ell(\tilde x) - a_\ell(x')\big) \Big],\quad \tilde x = x + \epsilon \)
 *
 * <p>estimated with {@code nSamples} draws per example, composed as in Captum: a {@link
 * NoiseTunnel} (smoothgrad, baselines drawn from the distribution) over one draw per row. Lundberg
 * and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)}; baselines: {@link
 * io.github.captum4j.core.Baselines#distribution} (or tensors whose rows are the samples). Output:
 * one tensor of the layer value's shape; the delta has one entry per draw.
 *
 * <pre>{@code
 * LayerGradientShap lgs = new LayerGradientShap(model, LayerPath.of("fc1"));
 * Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(references));
 * try (Attribution a = lgs.attribute(in, Target.index(1),
 *         LayerGradientShap.Options.builder().nSamples(10).stdevs(0.05).seed(0).build())) { ... }
 * }</pre>
 */
public final class LayerGradientShap extends LayerMethod<LayerGradientShap.Options> {

    private final NoiseTunnel<LayerInputBaselineXGradient.Options> tunnel;

    /**
     * Layer GradientShap of one layer, multiplied by the layer difference (Captum's default).
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerGradientShap(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * Layer GradientShap of one layer.
     *
     * @param model the model
     * @param layer the layer
     * @param multiplyByInputs whether to multiply by the layer difference (Captum's {@code
     *     multiply_by_inputs})
     */
    public LayerGradientShap(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(
                MethodInfo.gradient("Layer GradientShap", Options.DEFAULTS)
                        .withMultiplyByInputs(multiplyByInputs)
                        .withConvergenceDelta()
                        .withBaselines(),
                model,
                List.of(layer));
        this.tunnel =
                new NoiseTunnel<>(new LayerInputBaselineXGradient(model, layer, multiplyByInputs));
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSamples draws per example, {@code >= 1} (default 5)
     * @param stdevs standard deviation of the input noise: one value or one per input (default 0.0)
     * @param returnConvergenceDelta whether to return the delta per draw (default false)
     * @param attributeToLayerInput attribute to the layer's input (default false)
     * @param seed libtorch seed for the draws, or {@code null} (default)
     */
    public record Options(
            int nSamples,
            List<Double> stdevs,
            boolean returnConvergenceDelta,
            boolean attributeToLayerInput,
            Integer seed) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(5, List.of(0.0), false, false, null);

        /**
         * Validates every component.
         *
         * @param nSamples draws per example, {@code >= 1} (default 5)
         * @param stdevs standard deviation of the input noise: one value or one per input (default
         *     0.0)
         * @param returnConvergenceDelta whether to return the delta per draw (default false)
         * @param attributeToLayerInput attribute to the layer's input (default false)
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

            /**
             * Sets {@code attributeToLayerInput}.
             *
             * @param value whether to attribute to the layer's input
             * @return this
             */
            public Builder attributeToLayerInput(boolean value) {
                return set("attributeToLayerInput", value);
            }
        }
    }

    private static NoiseTunnel.Options tunnel(int nSamples, List<Double> stdevs, Integer seed) {
        return new NoiseTunnel.Options(
                NoiseTunnel.Type.SMOOTHGRAD, nSamples, null, stdevs, true, seed);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        return Result.of(
                tunnel.attribute(
                        inputs,
                        target,
                        tunnel(options.nSamples(), options.stdevs(), options.seed()),
                        new LayerInputBaselineXGradient.Options(
                                options.returnConvergenceDelta(),
                                options.attributeToLayerInput(),
                                Randomness.derive(options.seed(), 1))));
    }
}
