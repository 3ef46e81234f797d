package io.github.captum4j.attr.neuron;

import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * What every neuron method of this package is: a model, a layer, Captum's multiply_by_inputs flag,
 * a name and default options.
 *
 * @param <O> the options record
 */
abstract class NeuronMethod<O extends Record> implements NeuronAttributionMethod<O> {

    /** The model. */
    final LayerAccess model;

    private final LayerPath layer;
    private final String name;
    private final boolean multiplyByInputs;
    private final boolean usesBaselines;
    private final O defaults;

    NeuronMethod(
            String name,
            LayerAccess model,
            LayerPath layer,
            boolean multiplyByInputs,
            boolean usesBaselines,
            O defaults) {
        this.model = NeuronMethods.check(model, layer);
        this.layer = layer;
        this.name = name;
        this.multiplyByInputs = multiplyByInputs;
        this.usesBaselines = usesBaselines;
        this.defaults = defaults;
    }

    /** {@inheritDoc} */
    @Override
    public final O defaultOptions() {
        return defaults;
    }

    /** {@inheritDoc} */
    @Override
    public final LayerPath layer() {
        return layer;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean multipliesByInputs() {
        return multiplyByInputs;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean usesBaselines() {
        return usesBaselines;
    }

    /** {@inheritDoc} */
    @Override
    public final String name() {
        return name;
    }
}
