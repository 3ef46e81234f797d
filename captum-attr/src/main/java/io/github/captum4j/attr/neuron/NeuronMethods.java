package io.github.captum4j.attr.neuron;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/** What the neuron methods share: construction checks, the neuron model, the target check. */
final class NeuronMethods {

    private NeuronMethods() {}

    /** Checks the model and layer at construction (unknown layers fail here). */
    static LayerAccess check(LayerAccess model, LayerPath layer) {
        Checks.notNull(model, "model");
        Checks.notNull(layer, "layer");
        model.tap(List.of(layer), TapSite.OUTPUT).close();
        return model;
    }

    /** The neuron's value as a forward function. */
    static NeuronForward neuron(
            LayerAccess model, LayerPath layer, boolean toNeuronInput, NeuronSelector neuron) {
        return new NeuronForward(
                model, layer, toNeuronInput ? TapSite.INPUT : TapSite.OUTPUT, neuron);
    }

    /** Methods explaining the neuron's own value take no target. */
    static void requireNoTarget(Target target, String method) {
        Checks.argument(
                target instanceof Target.None,
                "target: %s explains the neuron's value, not a model output; pass Target.none(),"
                        + " got %s",
                method,
                target);
    }
}
