package io.github.captum4j.attr.neuron;

import static io.github.captum4j.attr.internal.MethodFamilies.fromBaselines;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import org.immutables.value.Value;

/**
 * Neuron Integrated Gradients: Integrated Gradients of a hidden neuron's value \( y_n \) with
 * respect to the inputs:
 *
 * <p>\( \mathrm{NIG}_i(x) = (x_i - x'_i) \sum_k w_k\, \frac{\partial y_n}{\partial x_i}\big(x' +
 * \alpha_k (x - x')\big) \)
 *
 * <p>Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", 2017, <a
 * href="https://arxiv.org/abs/1703.01365">arXiv:1703.01365</a>. Inputs: floating-point tensors
 * {@code (N, ...)} with {@link io.github.captum4j.core.Baselines} (default zeros), {@link
 * Target#none()}. Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * NeuronIntegratedGradients nig = new NeuronIntegratedGradients(model, LayerPath.of("fc2"));
 * try (Attribution a = nig.attribute(Inputs.of(x), NeuronSelector.index(3))) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class NeuronIntegratedGradients
        extends NeuronMethod<NeuronIntegratedGradients.Options> {

    /**
     * The method on a layer's neurons, multiplied by inputs (Captum's default).
     *
     * @param model the model
     * @param layer the layer
     */
    public NeuronIntegratedGradients(LayerAccess model, LayerPath layer) {
        this(model, layer, true);
    }

    /**
     * The method on a layer's neurons.
     *
     * @param model the model
     * @param layer the layer
     * @param multiplyByInputs whether to multiply by {@code inputs - baselines}
     */
    public NeuronIntegratedGradients(LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(
                fromBaselines("Neuron Integrated Gradients", Options.DEFAULTS, multiplyByInputs),
                model,
                layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of quadrature points, {@code >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} (default)
     * @param attributeToNeuronInput select the neuron from the layer's input (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean attributeToNeuronInput,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.GAUSS_LEGENDRE, null, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of quadrature points, {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null}
         *     (default)
         * @param attributeToNeuronInput select the neuron from the layer's input (default false)
         * @param progress told after every forward + backward pass (default {@link
         *     ProgressListener#NONE})
         */
        public Options {
            progress = PathOptions.progress(progress);
            PathOptions.check(nSteps, method, internalBatchSize);
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
        public static final class Builder extends NeuronIntegratedGradientsBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    @Override
    Result compute(
            Inputs inputs, NeuronSelector neuron, Target target, Options options, NDManager s) {
        return onNeuron(
                IntegratedGradients::new,
                options.attributeToNeuronInput(),
                neuron,
                inputs,
                // the path group copied; no convergence delta (Captum's neuron methods have none)
                IntegratedGradients.Options.builder().from(options).build());
    }
}
