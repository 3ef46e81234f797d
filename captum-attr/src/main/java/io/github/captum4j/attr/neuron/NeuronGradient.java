package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Neuron Gradient: the gradient of a hidden neuron's value with respect to each input feature, \(
 * \partial y_n(x) / \partial x_i \).
 *
 * <p>Not a paper method; Captum's {@code NeuronGradient} (the neuron analogue of the saliency of
 * Simonyan, Vedaldi and Zisserman, 2013, <a
 * href="https://arxiv.org/abs/1312.6034">arXiv:1312.6034</a>). Inputs: floating-point tensors
 * {@code (N, ...)}, no baselines, {@link Target#none()}. Output: one tensor per input, of its
 * shape.
 *
 * <pre>{@code
 * NeuronGradient ng = new NeuronGradient(model, LayerPath.of("fc2"));
 * try (Attribution a = ng.attribute(Inputs.of(x), NeuronSelector.index(3))) { ... }
 * }</pre>
 */
public final class NeuronGradient extends NeuronMethod<NeuronGradient.Options> {

    /**
     * Neuron gradients of a layer's neurons.
     *
     * @param model the model
     * @param layer the layer
     */
    public NeuronGradient(LayerAccess model, LayerPath layer) {
        super(MethodInfo.gradient("Neuron Gradient", Options.DEFAULTS), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param attributeToNeuronInput select the neuron from the layer's input (default false)
     */
    public record Options(boolean attributeToNeuronInput) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false);
    }

    @Override
    Result compute(
            Inputs inputs, NeuronSelector neuron, Target target, Options options, NDManager s) {
        return Result.of(
                new Saliency(neuronModel(options.attributeToNeuronInput(), neuron))
                        .attribute(inputs, Target.none(), new Saliency.Options(false)));
    }
}
