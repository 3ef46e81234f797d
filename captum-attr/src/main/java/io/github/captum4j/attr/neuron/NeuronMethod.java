package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The family base of this package's methods: what a neuron method is ({@link MethodInfo}, model,
 * layer) and the entry into the one call frame ({@link AttributionFrame}), whose provenance names
 * the layer and the neuron. A subclass supplies {@link #compute}.
 *
 * @param <O> the options record
 */
abstract class NeuronMethod<O extends Record> implements NeuronAttributionMethod<O> {

    /** The model. */
    final LayerAccess model;

    private final MethodInfo<O> info;
    private final LayerPath layer;

    /**
     * Describes the method; the layer is checked against the model at once.
     *
     * @param info what the method is
     * @param model the model
     * @param layer the layer
     */
    NeuronMethod(MethodInfo<O> info, LayerAccess model, LayerPath layer) {
        this.model = NeuronMethods.check(model, layer);
        this.layer = layer;
        this.info = info;
    }

    /**
     * The method's computation, inside the call's scratch manager.
     *
     * @param inputs the caller's inputs, borrowed into {@code scratch}
     * @param neuron the neuron
     * @param target the target, checked against the batch size (and by {@link #checkTarget})
     * @param options the options
     * @param scratch the per-call manager
     * @return attributions, in {@code scratch}
     */
    abstract Result compute(
            Inputs inputs, NeuronSelector neuron, Target target, O options, NDManager scratch);

    /** {@inheritDoc} */
    @Override
    public final Attribution attribute(
            Inputs inputs, NeuronSelector neuron, Target target, O options) {
        Provenance call =
                Provenance.of(info, options, target)
                        .atLayers(List.of(layer))
                        .atNeuron(Checks.notNull(neuron, "neuron"));
        checkTarget(target);
        return AttributionFrame.run(
                call, inputs, scratch -> compute(inputs, neuron, target, options, scratch));
    }

    /**
     * Checks the target beyond the batch size: methods that explain the neuron's own value take
     * {@link Target#none()} (the default); a method that explains a model output overrides this.
     *
     * @param target the target
     */
    void checkTarget(Target target) {
        NeuronMethods.requireNoTarget(target, info.name());
    }

    /**
     * The neuron's value as a forward function, for a method built on a primary method.
     *
     * @param toNeuronInput select the neuron in the layer's input
     * @param neuron the neuron
     * @return the function
     */
    final NeuronForward neuronModel(boolean toNeuronInput, NeuronSelector neuron) {
        return NeuronMethods.neuron(model, layer, toNeuronInput, neuron);
    }

    /**
     * Runs a primary method (Integrated Gradients, GradientShap, ...) with the neuron's value as
     * the model output, multiplied by inputs as this method is: how Captum builds a neuron method
     * on a primary one.
     *
     * @param primary the primary method of a model and Captum's {@code multiply_by_inputs}
     * @param toNeuronInput select the neuron in the layer's input
     * @param neuron the neuron
     * @param inputs the call's inputs
     * @param options the primary method's options
     * @param <P> the primary method's options record
     * @return the primary method's attributions
     */
    final <P extends Record> Result onNeuron(
            BiFunction<ForwardFunction, Boolean, AttributionMethod<P>> primary,
            boolean toNeuronInput,
            NeuronSelector neuron,
            Inputs inputs,
            P options) {
        AttributionMethod<P> method =
                primary.apply(neuronModel(toNeuronInput, neuron), multipliesByInputs());
        return Result.of(method.attribute(inputs, Target.none(), options));
    }

    /** {@inheritDoc} */
    @Override
    public final MethodInfo<O> info() {
        return info;
    }

    /** {@inheritDoc} */
    @Override
    public final LayerPath layer() {
        return layer;
    }
}
