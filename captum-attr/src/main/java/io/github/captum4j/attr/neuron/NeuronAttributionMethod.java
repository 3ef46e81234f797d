package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.DescribedMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;

/**
 * The role of a neuron attribution method: attributes the value of a neuron of a hidden layer,
 * chosen per call by a {@link NeuronSelector}, to the input features (one tensor per input, of its
 * shape). Methods that explain the neuron itself take {@link Target#none()}; neuron conductance
 * explains a model output's flow through the neuron and takes a target.
 *
 * @param <O> the options record
 */
public interface NeuronAttributionMethod<O extends Record> extends DescribedMethod<O> {

    /**
     * Computes attributions.
     *
     * @param inputs the inputs, baselines and additional forward arguments
     * @param neuron the neuron
     * @param target the output explained, or {@link Target#none()} for methods that explain the
     *     neuron's value
     * @param options how this call runs
     * @return one attribution per input
     */
    Attribution attribute(Inputs inputs, NeuronSelector neuron, Target target, O options);

    /**
     * Computes attributions of a neuron's value with the default options.
     *
     * @param inputs the inputs
     * @param neuron the neuron
     * @return one attribution per input
     */
    default Attribution attribute(Inputs inputs, NeuronSelector neuron) {
        return attribute(inputs, neuron, Target.none(), defaultOptions());
    }

    /**
     * The layer the neuron belongs to.
     *
     * @return the layer
     */
    LayerPath layer();

    /**
     * This method fixed on one neuron, as an {@link AttributionMethod}, e.g. to wrap it in a {@link
     * io.github.captum4j.attr.NoiseTunnel}.
     *
     * @param neuron the neuron
     * @return the method on that neuron
     */
    default AttributionMethod<O> atNeuron(NeuronSelector neuron) {
        NeuronAttributionMethod<O> self = this;
        return new AttributionMethod<>() {
            @Override
            public Attribution attribute(Inputs inputs, Target target, O options) {
                return self.attribute(inputs, neuron, target, options);
            }

            @Override
            public MethodInfo<O> info() {
                return self.info();
            }
        };
    }
}
