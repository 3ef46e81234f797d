package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.BatchRows;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * The family base of this package's methods: what a layer method is ({@link MethodInfo}, model,
 * layers) and the entry into the one call frame ({@link AttributionFrame}), whose provenance names
 * the layers. A subclass supplies {@link #compute}.
 *
 * @param <O> the options record
 */
abstract class LayerMethod<O extends Record> implements LayerAttributionMethod<O> {

    /** The model with its layers. */
    final LayerAccess model;

    /** The model's forward function (for convergence deltas). */
    final ForwardFunction forwardFunction;

    private final MethodInfo<O> info;
    private final List<LayerPath> layers;

    /**
     * Describes a method of one layer.
     *
     * @param info what the method is
     * @param model the model
     * @param layer the layer
     */
    LayerMethod(MethodInfo<O> info, LayerAccess model, LayerPath layer) {
        this(info, model, List.of(layer));
    }

    /**
     * Describes the method; the layers are checked against the model at once.
     *
     * @param info what the method is
     * @param model the model
     * @param layers the layers
     */
    LayerMethod(MethodInfo<O> info, LayerAccess model, List<LayerPath> layers) {
        Checks.notNull(model, "model");
        this.layers = LayerAccess.checkLayers(layers);
        this.forwardFunction = model.forwardFunction();
        Checks.argument(
                forwardFunction.isDifferentiable(),
                "model must be differentiable for %s (a gradient method), got a black box",
                info.name());
        model.tap(this.layers, TapSite.OUTPUT).close(); // unknown layers fail here, not later
        this.model = model;
        this.info = info;
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
                Provenance.of(info, options, target).atLayers(layers),
                inputs,
                scratch -> compute(inputs, target, options, scratch));
    }

    /** {@inheritDoc} */
    @Override
    public final MethodInfo<O> info() {
        return info;
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

    /**
     * The tapped layers' values and the target's gradients with respect to them, from one forward
     * and one backward pass on the call's inputs.
     *
     * @param tap the open tap on this method's layers
     * @param inputs the call's inputs
     * @param target the target
     * @return values and gradients per layer
     */
    static Gradients.LayerResult atLayers(LayerTap tap, Inputs inputs, Target target) {
        return Gradients.computeAtLayers(
                tap, inputs.tensors(), inputs.additionalArgs(), target, null);
    }

    /**
     * {@link Gradients#computeAtLayers} on the rows of a path pass, whose layer values the caller
     * reads row by row: each must hold the pass's rows on dimension 0 ({@link BatchRows}).
     *
     * @param tap the open tap on this method's layers
     * @param scaled the pass's inputs
     * @param args additional forward arguments of the pass
     * @param target the pass's target
     * @return values and gradients per layer
     */
    static Gradients.LayerResult atLayersByRow(
            LayerTap tap, NDList scaled, List<Object> args, Target target) {
        Gradients.LayerResult r = Gradients.computeAtLayers(tap, scaled, args, target, null);
        BatchRows.requireBatchFirst(
                tap.layers(), r.values(), scaled.get(0).getShape().get(0), "integrated");
        return r;
    }

    /**
     * The tapped layers' values at the two ends of straight paths, \( a_\ell(x') \) and \(
     * a_\ell(x) \), from one forward pass over both stacked (Captum's layer-difference pass).
     *
     * @param tap the open tap on this method's layers
     * @param starts the start points {@code (R, ...)} per input, e.g. the baselines
     * @param ends the end points of the starts' shapes, e.g. the inputs
     * @param args additional forward arguments of {@code R} rows
     * @return per layer, its values at the starts and at the ends
     */
    static Ends valuesAtEnds(LayerTap tap, NDList starts, NDList ends, List<Object> args) {
        int rows = Math.toIntExact(ends.get(0).getShape().get(0));
        NDList both = new NDList(ends.size());
        for (int i = 0; i < ends.size(); i++) {
            both.add(starts.get(i).concat(ends.get(i), 0));
        }
        NDList values =
                Gradients.layerValues(
                        tap, both, Expansion.expandArgs(args, rows, 2, Expansion.Layout.TILE));
        BatchRows.requireBatchFirst(tap.layers(), values, 2L * rows, "split into path ends");
        NDList atStarts = new NDList(values.size());
        NDList atEnds = new NDList(values.size());
        for (NDArray v : values) {
            atStarts.add(v.get("0:" + rows));
            atEnds.add(v.get(rows + ":"));
        }
        return new Ends(atStarts, atEnds);
    }

    /**
     * A layer's values at the two ends of the paths.
     *
     * @param atStarts per layer, \( a_\ell(x') \)
     * @param atEnds per layer, \( a_\ell(x) \)
     */
    record Ends(NDList atStarts, NDList atEnds) {

        /**
         * The layers' change along the paths.
         *
         * @return per layer, \( a_\ell(x) - a_\ell(x') \)
         */
        NDList change() {
            return minus(atEnds, atStarts);
        }
    }

    /** {@inheritDoc} */
    @Override
    public final List<LayerPath> layers() {
        return layers;
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
