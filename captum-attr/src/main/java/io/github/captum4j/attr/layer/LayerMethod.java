package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * The frame of this package's methods: what a layer method is (model, layers, flags, default
 * options), the argument checks of every call, the scratch manager and handing the result back. A
 * subclass supplies {@link #compute}.
 *
 * @param <O> the options record
 */
abstract class LayerMethod<O extends Record> implements LayerAttributionMethod<O> {

    /** What {@link #compute} returns: one attribution per layer and the optional delta. */
    record Result(NDList attributions, NDArray delta) {}

    /** The model with its layers. */
    final LayerAccess model;

    /** The model's forward function (for convergence deltas). */
    final ForwardFunction forwardFunction;

    private final String name;
    private final List<LayerPath> layers;
    private final boolean multiplyByInputs;
    private final boolean convergenceDelta;
    private final boolean usesBaselines;
    private final boolean integerInputs;
    private final O defaults;

    /**
     * Describes the method; the layers are checked against the model at once.
     *
     * @param name display name, e.g. "Layer Conductance"
     * @param model the model
     * @param layers the layers
     * @param multiplyByInputs Captum's multiplies_by_inputs
     * @param convergenceDelta whether the method offers a convergence delta
     * @param usesBaselines whether the method reads baselines (others reject non-default ones)
     * @param integerInputs whether inputs may be integer (no gradient w.r.t. the inputs is taken)
     * @param defaults the default options
     */
    LayerMethod(
            String name,
            LayerAccess model,
            List<LayerPath> layers,
            boolean multiplyByInputs,
            boolean convergenceDelta,
            boolean usesBaselines,
            boolean integerInputs,
            O defaults) {
        Checks.notNull(model, "model");
        this.layers = LayerAccess.checkLayers(layers);
        this.forwardFunction = model.forwardFunction();
        Checks.argument(
                forwardFunction.isDifferentiable(),
                "model must be differentiable for %s (a gradient method), got a black box",
                name);
        model.tap(this.layers, TapSite.OUTPUT).close(); // unknown layers fail here, not later
        this.model = model;
        this.name = name;
        this.multiplyByInputs = multiplyByInputs;
        this.convergenceDelta = convergenceDelta;
        this.usesBaselines = usesBaselines;
        this.integerInputs = integerInputs;
        this.defaults = defaults;
    }

    /**
     * The method's computation, inside the call's scratch manager.
     *
     * @param inputs the caller's inputs, borrowed into {@code scratch}
     * @param target the target, checked against the batch size
     * @param options the options
     * @param scratch the per-call manager
     * @return attributions and optional delta, in {@code scratch}
     */
    abstract Result compute(Inputs inputs, Target target, O options, NDManager scratch);

    /** {@inheritDoc} */
    @Override
    public final Attribution attribute(Inputs inputs, Target target, O options) {
        return AttributionFrame.run(
                name,
                options,
                inputs,
                target,
                usesBaselines,
                integerInputs
                        ? AttributionFrame.InputRequirement.FINITE
                        : AttributionFrame.InputRequirement.FINITE_FLOATING,
                scratch -> {
                    Result r = compute(inputs, target, options, scratch);
                    return new AttributionFrame.Result(r.attributions(), r.delta());
                });
    }

    /**
     * Opens a tap on this method's layers.
     *
     * @param toLayerInput Captum's {@code attribute_to_layer_input}
     * @return the tap, to be closed by the caller
     */
    final LayerTap tap(boolean toLayerInput) {
        return model.tap(layers, toLayerInput ? TapSite.INPUT : TapSite.OUTPUT);
    }

    /** {@inheritDoc} */
    @Override
    public final List<LayerPath> layers() {
        return layers;
    }

    /** {@inheritDoc} */
    @Override
    public final O defaultOptions() {
        return defaults;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean hasConvergenceDelta() {
        return convergenceDelta;
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

    /**
     * Element-wise products of two lists.
     *
     * @param a first factors
     * @param b second factors
     * @return {@code a[i] * b[i]}
     */
    static NDList times(NDList a, NDList b) {
        NDList out = new NDList(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).mul(b.get(i)));
        }
        return out;
    }

    /**
     * Element-wise differences of two lists.
     *
     * @param a minuends
     * @param b subtrahends
     * @return {@code a[i] - b[i]}
     */
    static NDList minus(NDList a, NDList b) {
        NDList out = new NDList(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).sub(b.get(i)));
        }
        return out;
    }

    /**
     * Checks that a method without a target got {@link Target#none()}.
     *
     * @param target the target
     * @param method the method's name
     */
    static void requireNoTarget(Target target, String method) {
        Checks.argument(
                target instanceof Target.None,
                "target: %s explains layer values, not a model output; pass Target.none(), got %s",
                method,
                target);
    }
}
