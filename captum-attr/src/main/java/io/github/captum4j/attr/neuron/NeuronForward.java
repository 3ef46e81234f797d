package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * A neuron's value as a model: runs the model with a tap on the layer and returns the selected
 * neuron per example, shape {@code (N)}. The primary gradient methods applied to it are the neuron
 * methods (Captum's neuron methods run their primary method on the neuron the same way).
 */
final class NeuronForward implements ForwardFunction {

    private final LayerAccess model;
    private final LayerPath layer;
    private final TapSite site;
    private final NeuronSelector neuron;

    NeuronForward(LayerAccess model, LayerPath layer, TapSite site, NeuronSelector neuron) {
        this.model = model;
        this.layer = layer;
        this.site = site;
        this.neuron = Checks.notNull(neuron, "neuron");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        try (LayerTap tap = model.tap(List.of(layer), site)) {
            tap.forward(inputs, additionalArgs);
            return neuron.select(tap.values());
        }
    }
}
