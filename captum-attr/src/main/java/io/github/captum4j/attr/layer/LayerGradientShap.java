package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.GradientShapPasses;
import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.attr.SamplingOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import org.immutables.value.Value;

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
 * <p>estimated with {@code nSamples} draws per example, drawn as GradientShap draws them ({@link
 * GradientShapPasses}: seeded results agree with Captum's in distribution, not bit for bit), so
 * {@code internalBatchSize} bounds a pass's rows without changing the result. Lundberg
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
@Value.Enclosing
public final class LayerGradientShap extends LayerMethod<LayerGradientShap.Options> {

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
        super(completeness("Layer GradientShap", Options.DEFAULTS, multiplyByInputs), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSamples draws per example, {@code >= 1} (default 5)
     * @param stdevs standard deviation of the input noise: one value or one per input (default 0.0)
     * @param returnConvergenceDelta whether to return the delta per draw (default false)
     * @param attributeToLayerInput attribute to the layer's input (default false)
     * @param seed libtorch seed for the draws, or {@code null} (default)
     * @param internalBatchSize rows per forward + backward pass ({@code max(1, internalBatchSize /
     *     N)} draws of every example per pass), or {@code null} for one pass (default); the result
     *     does not depend on it (beyond Captum: issue #1350)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSamples,
            List<Double> stdevs,
            boolean returnConvergenceDelta,
            boolean attributeToLayerInput,
            Integer seed,
            Integer internalBatchSize,
            ProgressListener progress)
            implements SamplingOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(5, List.of(0.0), false, false, null, null, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSamples draws per example, {@code >= 1} (default 5)
         * @param stdevs standard deviation of the input noise: one value or one per input (default
         *     0.0)
         * @param returnConvergenceDelta whether to return the delta per draw (default false)
         * @param attributeToLayerInput attribute to the layer's input (default false)
         * @param seed libtorch seed for the draws, or {@code null} (default)
         * @param internalBatchSize rows per forward + backward pass, or {@code null} (default)
         * @param progress told after every pass (default {@link ProgressListener#NONE})
         */
        public Options {
            stdevs = SamplingOptions.check(nSamples, stdevs, internalBatchSize);
            progress = PathOptions.progress(progress);
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
        public static final class Builder extends LayerGradientShapBuilders.OptionsBuilder
                implements SamplingOptions.Builder<Builder, Options> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            return GradientShapPasses.run(
                    inputs,
                    target,
                    options,
                    name(),
                    options.returnConvergenceDelta() ? forwardFunction : null,
                    (noisy, baselines, scaled, args, t) -> {
                        NDList grads =
                                Gradients.computeAtLayers(tap, scaled, args, t, null)
                                        .layerGradients();
                        return multipliesByInputs()
                                ? times(grads, valuesAtEnds(tap, baselines, noisy, args).change())
                                : grads;
                    },
                    scratch);
        }
    }
}
