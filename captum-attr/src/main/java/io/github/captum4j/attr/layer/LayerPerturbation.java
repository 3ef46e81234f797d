package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerTap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Runs a perturbation method on a layer's values instead of the inputs (Captum's layer perturbation
 * methods): the layer's values become the method's inputs, and its model is the original one with
 * the layer's value replaced by the perturbed rows. The original inputs travel as additional
 * arguments, so the method expands them with the layer rows it perturbs. Not API.
 */
final class LayerPerturbation {

    private LayerPerturbation() {}

    /**
     * The perturbation method's attributions over the layer's values.
     *
     * @param tap the layer's tap, open for the call
     * @param inputs the call's inputs; their baselines become the layer baselines
     * @param method runs the perturbation method on (model with the layer replaced, layer inputs)
     * @return the attributions, of the layer values' shapes, in the layer values' manager
     */
    static NDList attribute(
            LayerTap tap, Inputs inputs, BiFunction<ForwardFunction, Inputs, Attribution> method) {
        NDList x = inputs.tensors();
        int count = x.size();
        NDList values = Gradients.layerValues(tap, x, inputs.additionalArgs());
        ForwardFunction replaced =
                (layerValues, extra) -> {
                    tap.replaceValues(layerValues);
                    NDList xs = new NDList(count);
                    for (int i = 0; i < count; i++) {
                        xs.add((NDArray) extra.get(i));
                    }
                    return tap.forward(xs, extra.subList(count, extra.size()));
                };
        List<Object> extra = new ArrayList<>(x);
        extra.addAll(inputs.additionalArgs());
        Inputs layerInputs =
                Inputs.of(values).withBaselines(inputs.baselines()).withAdditionalArgs(extra);
        // the arrays are in the layer values' manager (the call's scratch); the result object is
        // dropped
        return method.apply(replaced, layerInputs).attributions();
    }
}
