package io.github.captum4j.attr.neuron;

import static io.github.captum4j.attr.internal.MethodFamilies.fromBaselines;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.attr.SamplingOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import org.immutables.value.Value;

import java.util.List;

/**
 * Neuron GradientShap: GradientShap of a hidden neuron's value \( y_n \) — the expected gradient ×
 * (input − baseline) over baselines drawn from a distribution, points drawn uniformly between them
 * and noisy inputs:
 *
 * <p>\( \mathrm{NGS}_i(x) = \mathbb{E}\big[ (\tilde x_i - x'_i)\, \partial_i y_n(x' + \alpha(\tilde
 * x - x')) \big] \)
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>. Inputs: floating-point tensors
 * {@code (N, ...)}, baselines a {@link io.github.captum4j.core.Baselines#distribution} (or tensors
 * whose rows are the samples), {@link Target#none()}. Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * NeuronGradientShap ngs = new NeuronGradientShap(model, LayerPath.of("fc2"));
 * Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(references));
 * try (Attribution a = ngs.attribute(in, NeuronSelector.index(3), Target.none(),
 *         NeuronGradientShap.Options.builder().nSamples(20).seed(1).build())) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class NeuronGradientShap extends NeuronMethod<NeuronGradientShap.Options> {

    /**
     * The method on a layer's neurons, multiplied by inputs (Captum's default).
     *
     * @param model the model
     * @param layer the layer
     */
    public NeuronGradientShap(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * The method on a layer's neurons.
     *
     * @param model the model
     * @param layer the layer
     * @param multiplyByInputs whether to multiply by {@code inputs - baselines}
     */
    public NeuronGradientShap(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(fromBaselines("Neuron GradientShap", Options.DEFAULTS, multiplyByInputs), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSamples draws per example, {@code >= 1} (default 5)
     * @param stdevs standard deviation of the input noise: one value or one per input (default 0.0)
     * @param attributeToNeuronInput select the neuron from the layer's input (default false)
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
            boolean attributeToNeuronInput,
            Integer seed,
            Integer internalBatchSize,
            ProgressListener progress)
            implements SamplingOptions.Group {

        /** Captum's defaults (a {@code null} progress is {@link ProgressListener#NONE}). */
        public static final Options DEFAULTS = new Options(5, List.of(0.0), false, null, null, null);

        /**
         * Validates every component.
         *
         * @param nSamples draws per example, {@code >= 1} (default 5)
         * @param stdevs standard deviation of the input noise: one value or one per input (default
         *     0.0)
         * @param attributeToNeuronInput select the neuron from the layer's input (default false)
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
        public static final class Builder extends NeuronGradientShapBuilders.OptionsBuilder
                implements SamplingOptions.Builder<Builder, Options> {
            Builder() {}
        }
    }

    @Override
    Result compute(
            Inputs inputs, NeuronSelector neuron, Target target, Options options, NDManager s) {
        return onNeuron(
                GradientShap::new,
                options.attributeToNeuronInput(),
                neuron,
                inputs,
                // the sampling group copied; no convergence delta (Captum's neuron methods have none)
                GradientShap.Options.builder().from(options).build());
    }
}
