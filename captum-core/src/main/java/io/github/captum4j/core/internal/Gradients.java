package io.github.captum4j.core.internal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerTap;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * All autograd of the library goes through here: forward passes with or without gradient recording
 * and the backward pass of the selected target values.
 *
 * <p>DJL's {@code GradientCollector} is JVM-global and cannot nest, so it is never used. Instead
 * libtorch's grad mode, which is per thread, is switched on for the pass and restored after it,
 * inputs become fresh autograd leaves (gradients never accumulate across passes), and the backward
 * pass runs through {@link Torch#backward}. Any number of threads may compute gradients at once,
 * each on its own arrays.
 *
 * <p>Not API: may change without notice.
 */
public final class Gradients {

    private Gradients() {}

    /**
     * Result of one forward and backward pass.
     *
     * @param selected the target value per example, shape {@code (N)}, detached from the graph
     * @param gradients d(sum of selected)/d(input), one per input, each of the input's shape
     */
    public record Result(NDArray selected, NDList gradients) {}

    /**
     * Gradients of the selected output with respect to each input (Captum's {@code
     * compute_gradients}): the gradient of the sum over the batch of the target values.
     *
     * @param f the model
     * @param inputs the inputs (floating point), batch in dimension 0
     * @param args additional forward arguments
     * @param target the target
     * @return selected values and gradients
     */
    public static Result compute(
            ForwardFunction f, NDList inputs, List<Object> args, Target target) {
        return withGradMode(
                true,
                () -> {
                    SharedPasses.Slot slot = SharedPasses.slot(inputs, args, null);
                    SharedPasses.Graph recorded = slot == null ? null : slot.graph();
                    NDList leaves;
                    NDArray out;
                    if (recorded != null) {
                        leaves = recorded.leaves();
                        out = recorded.output();
                        zeroGrads(leaves);
                    } else {
                        leaves = new NDList(inputs.size());
                        for (NDArray x : inputs) {
                            NDArray leaf = x.stopGradient();
                            leaf.setRequiresGradient(true);
                            leaves.add(leaf);
                        }
                        out = run(f, leaves, args);
                        checkBatch(out, leaves);
                    }
                    NDManager home = inputs.get(0).getManager();
                    NDArray selected = Targets.select(out, target);
                    if (selected != out) {
                        selected.attach(home);
                    }
                    NDArray total = selected.sum();
                    checkFinite(total, selected);
                    NDArray seed = total.onesLike();
                    backward(total, seed, slot != null && slot.retain(), out);
                    NDList grads = new NDList(leaves.size());
                    for (NDArray leaf : leaves) {
                        grads.add(slot == null ? gradientOf(leaf) : gradientCopy(leaf, home));
                    }
                    NDArray value = selected.stopGradient();
                    value.attach(home);
                    if (slot != null) {
                        if (recorded == null) {
                            slot.record(
                                    new SharedPasses.Graph(
                                            SharedPasses.views(inputs),
                                            SharedPasses.argViews(args),
                                            null,
                                            out,
                                            leaves,
                                            null));
                        } else {
                            slot.done();
                        }
                    }
                    return new Result(value, grads);
                });
    }

    /**
     * The target value per example, without recording gradients.
     *
     * @param f the model
     * @param inputs the inputs
     * @param args additional forward arguments
     * @param target the target
     * @return shape {@code (N)}
     */
    public static NDArray forwardSelected(
            ForwardFunction f, NDList inputs, List<Object> args, Target target) {
        return withGradMode(
                false,
                () -> {
                    NDArray out = run(f, inputs, args);
                    checkBatch(out, inputs);
                    NDArray selected = Targets.select(out, target);
                    checkFinite(selected.sum(), selected);
                    return selected;
                });
    }

    /**
     * The model output without recording gradients.
     *
     * @param f the model
     * @param inputs the inputs
     * @param args additional forward arguments
     * @return the output
     */
    public static NDArray forward(ForwardFunction f, NDList inputs, List<Object> args) {
        return withGradMode(false, () -> run(f, inputs, args));
    }

    /**
     * Result of one forward pass through a {@link LayerTap} and its backward pass(es).
     *
     * @param selected the target value per example, shape {@code (N)}, detached; {@code null} when
     *     no target was given
     * @param values the tapped layer values, one per layer, detached
     * @param layerGradients d(sum of selected)/d(layer value), one per layer; {@code null} when no
     *     target was given
     * @param inputGradients d(sum of neuron values)/d(input), one per input; {@code null} when no
     *     neuron was given
     */
    public record LayerResult(
            NDArray selected, NDList values, NDList layerGradients, NDList inputGradients) {}

    /**
     * Gradients at tapped layers (Captum's {@code compute_layer_gradients_and_eval}) from one
     * forward pass: with a target, the gradient of the sum over the batch of the target values with
     * respect to each tapped layer value; with a neuron function, the gradient of the sum of its
     * values with respect to each input (a second backward pass over the same graph). Both may be
     * asked for at once, as neuron conductance does.
     *
     * @param tap the tap, opened on the model by the caller
     * @param inputs the inputs, batch in dimension 0 (integer inputs are allowed when no neuron
     *     function is given)
     * @param args additional forward arguments
     * @param target the target, or {@code null} for no layer gradients
     * @param neuron the neuron values per example {@code (N)} from the tapped values, or {@code
     *     null} for no input gradients
     * @return values and gradients
     */
    public static LayerResult computeAtLayers(
            LayerTap tap,
            NDList inputs,
            List<Object> args,
            Target target,
            Function<NDList, NDArray> neuron) {
        if (target != null && neuron == null && SharedPasses.active()) {
            return withGradMode(true, () -> sharedLayerGradients(tap, inputs, args, target));
        }
        return withGradMode(
                true,
                () -> {
                    NDList leaves = inputs;
                    if (neuron != null) {
                        leaves = new NDList(inputs.size());
                        for (NDArray x : inputs) {
                            NDArray leaf = x.stopGradient();
                            leaf.setRequiresGradient(x.getDataType().isFloating());
                            leaves.add(leaf);
                        }
                    }
                    NDArray out = run(tap::forward, leaves, args);
                    NDList values = tap.values();
                    NDArray selected = null;
                    NDList layerGrads = null;
                    if (target != null) {
                        selected = Targets.select(out, target);
                        NDArray total = selected.sum();
                        checkFinite(total, selected);
                        backward(total, total.onesLike(), neuron != null, out);
                        NDList tapLeaves = tap.gradientLeaves();
                        layerGrads = new NDList(tapLeaves.size());
                        for (int i = 0; i < tapLeaves.size(); i++) {
                            NDArray leaf = tapLeaves.get(i);
                            NDArray g = leaf == null ? values.get(i).zerosLike() : gradientOf(leaf);
                            // the second backward pass accumulates into the same leaves
                            layerGrads.add(neuron != null ? g.duplicate() : g);
                        }
                    }
                    NDList inputGrads = null;
                    if (neuron != null) {
                        if (target != null) {
                            for (NDArray leaf : leaves) {
                                if (leaf.getDataType().isFloating()) {
                                    Torch.zeroGrad(leaf);
                                }
                            }
                        }
                        NDArray total = neuron.apply(values).sum();
                        checkFinite(total, total);
                        Torch.backward(total, total.onesLike(), false);
                        inputGrads = new NDList(leaves.size());
                        for (NDArray leaf : leaves) {
                            inputGrads.add(
                                    leaf.getDataType().isFloating()
                                            ? gradientOf(leaf)
                                            : leaf.zerosLike());
                        }
                    }
                    NDList detached = new NDList(values.size());
                    for (NDArray v : values) {
                        detached.add(v.stopGradient());
                    }
                    return new LayerResult(
                            selected == null ? null : selected.stopGradient(),
                            detached,
                            layerGrads,
                            inputGrads);
                });
    }

    /**
     * {@link #computeAtLayers} with a target and no neuron inside a several-target call ({@link
     * SharedPasses}): the first target records the pass, later targets reuse its graph.
     */
    private static LayerResult sharedLayerGradients(
            LayerTap tap, NDList inputs, List<Object> args, Target target) {
        SharedPasses.Slot slot =
                SharedPasses.slot(inputs, args, List.of(tap.layers(), tap.site()));
        SharedPasses.Graph recorded = slot == null ? null : slot.graph();
        NDManager home = inputs.get(0).getManager();
        NDArray out;
        NDList values;
        NDList tapLeaves;
        if (recorded != null) {
            out = recorded.output();
            values = recorded.values();
            tapLeaves = recorded.leaves();
            zeroGrads(tapLeaves);
        } else {
            out = run(tap::forward, inputs, args);
            values = tap.values();
            tapLeaves = tap.gradientLeaves();
        }
        NDArray selected = Targets.select(out, target);
        if (selected != out) {
            selected.attach(home);
        }
        NDArray total = selected.sum();
        checkFinite(total, selected);
        backward(total, total.onesLike(), slot != null && slot.retain(), out);
        NDList layerGrads = new NDList(tapLeaves.size());
        for (int i = 0; i < tapLeaves.size(); i++) {
            NDArray leaf = tapLeaves.get(i);
            NDArray g =
                    leaf == null
                            ? values.get(i).zerosLike()
                            : slot == null ? gradientOf(leaf) : gradientCopy(leaf, home);
            if (g.getManager() != home) {
                g.attach(home);
            }
            layerGrads.add(g);
        }
        NDList detached = new NDList(values.size());
        for (NDArray v : values) {
            NDArray d = v.stopGradient();
            d.attach(home);
            detached.add(d);
        }
        NDArray value = selected.stopGradient();
        value.attach(home);
        if (slot != null) {
            if (recorded == null) {
                NDList kept = new NDList(values.size());
                for (NDArray v : values) {
                    kept.add(v.stopGradient());
                }
                slot.record(
                        new SharedPasses.Graph(
                                SharedPasses.views(inputs),
                                SharedPasses.argViews(args),
                                List.of(tap.layers(), tap.site()),
                                out,
                                tapLeaves,
                                kept));
            } else {
                slot.done();
            }
        }
        return new LayerResult(value, detached, layerGrads, null);
    }

    /**
     * The tapped layer values, without recording gradients (Captum's {@code _forward_layer_eval}).
     *
     * @param tap the tap, opened on the model by the caller
     * @param inputs the inputs
     * @param args additional forward arguments
     * @return one value per tapped layer
     */
    public static NDList layerValues(LayerTap tap, NDList inputs, List<Object> args) {
        return withGradMode(
                false,
                () -> {
                    run(tap::forward, inputs, args);
                    return tap.values();
                });
    }

    /**
     * Runs code with libtorch's grad mode set for the current thread, restoring it afterwards.
     *
     * @param enabled whether gradients are recorded
     * @param body the code
     * @param <T> result type
     * @return the body's result
     */
    public static <T> T withGradMode(boolean enabled, Supplier<T> body) {
        if (enabled) {
            EngineCheck.ensure();
        }
        boolean previous = Torch.gradMode();
        if (previous != enabled) {
            Torch.setGradMode(enabled);
        }
        try {
            return body.get();
        } finally {
            if (previous != enabled) {
                Torch.setGradMode(previous);
            }
        }
    }

    static NDArray run(ForwardFunction f, NDList inputs, List<Object> args) {
        return adopt(modelCall(() -> f.forward(inputs, args), () -> CallShapes.inputs(inputs)), inputs);
    }

    /**
     * Runs the user's model: its engine, state and unsupported-operation failures become an {@link
     * AttributionException} naming the inputs it failed on (its own argument errors pass as they
     * are); a null output is an {@link AttributionException} too.
     *
     * @param call the model call
     * @param inputs describes the inputs, e.g. {@link CallShapes#rows}
     * @param <T> the output type
     * @return the call's output, not null
     */
    public static <T> T modelCall(Supplier<T> call, Supplier<String> inputs) {
        T out;
        try {
            out = call.get();
        } catch (IllegalArgumentException | AttributionException e) {
            throw e;
        } catch (EngineException | IllegalStateException | UnsupportedOperationException e) {
            throw new AttributionException(
                    "the forward function failed on " + inputs.get() + ": " + e.getMessage(), e);
        }
        if (out == null) {
            throw new AttributionException("the forward function returned null");
        }
        return out;
    }

    /**
     * Moves a forward output computed in another manager (a model such as {@code w.matMul(x)}
     * with a long-lived {@code w} puts it in {@code w}'s) into the manager of the first input,
     * the call's scratch scope: DJL puts every op's result in its first operand's manager, so all
     * that the library derives from the output then dies with the call instead of piling up in
     * the model's manager.
     *
     * @param out the forward output
     * @param inputs the forward inputs
     * @return {@code out}, now in the first input's manager
     */
    public static NDArray adopt(NDArray out, NDList inputs) {
        if (inputs.isEmpty()) {
            return out;
        }
        ai.djl.ndarray.NDManager home = inputs.get(0).getManager();
        if (out.getManager() == home) {
            return out;
        }
        for (NDArray x : inputs) {
            if (x == out) {
                return out; // an input handed back: not ours to move
            }
        }
        out.attach(home);
        return out;
    }

    /**
     * {@link Torch#backward} of the selected output, which must be floating point and attached to
     * the autograd graph; otherwise libtorch's raw error ("element 0 of tensors does not require
     * grad") would reach the user.
     */
    private static void backward(NDArray total, NDArray seed, boolean retain, NDArray out) {
        if (!out.getDataType().isFloating()) {
            throw new AttributionException(
                    "the forward function must return floating-point values for a gradient"
                            + " method, got "
                            + out.getDataType()
                            + " of shape "
                            + CallShapes.output(out.getShape()));
        }
        try {
            Torch.backward(total, seed, retain);
        } catch (EngineException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("does not require grad")) {
                throw new AttributionException(
                        "the forward function's output (shape "
                                + CallShapes.output(out.getShape())
                                + ") is detached from its inputs: no gradient flows back (a"
                                + " stopGradient, a copy through Java arrays or a constant"
                                + " output); use a perturbation method for such a model",
                        e);
            }
            throw new AttributionException(
                    "the backward pass failed for an output of shape "
                            + CallShapes.output(out.getShape())
                            + ": "
                            + Checks.clip(m, 200),
                    e);
        }
    }

    /** Clears the gradients a recorded pass's earlier backward left on its leaves. */
    private static void zeroGrads(NDList leaves) {
        for (NDArray leaf : leaves) {
            if (leaf != null && leaf.getDataType().isFloating()) {
                try {
                    Torch.zeroGrad(leaf);
                } catch (EngineException e) {
                    // no gradient arrived at this leaf: nothing to clear
                }
            }
        }
    }

    /**
     * A copy of a leaf's gradient in {@code home}: the leaf's own gradient is cleared for the next
     * target's backward pass.
     */
    private static NDArray gradientCopy(NDArray leaf, NDManager home) {
        NDArray g = gradientOf(leaf);
        NDArray copy = g.duplicate();
        copy.attach(home);
        g.close();
        return copy;
    }

    static NDArray gradientOf(NDArray leaf) {
        NDArray g;
        try {
            g = leaf.getGradient();
        } catch (EngineException | IllegalStateException e) {
            g = null;
        }
        // An input the output does not depend on has no gradient: it is zero.
        return g == null ? leaf.zerosLike() : g;
    }

    /**
     * The output must have one row per input row: a model that drops or duplicates rows would give
     * zeros to some examples or a multiple of the result to others, silently.
     */
    private static void checkBatch(NDArray out, NDList inputs) {
        if (inputs.isEmpty() || out.getShape().dimension() == 0) {
            return;
        }
        long rows = inputs.get(0).getShape().get(0);
        if (out.getShape().get(0) != rows) {
            throw new AttributionException(
                    "the forward function must return one row per example: for "
                            + CallShapes.inputs(inputs)
                            + " it returned shape "
                            + Checks.shape(out.getShape()));
        }
    }

    /**
     * One scalar read instead of an element-wise scan: a NaN or infinity anywhere makes the sum
     * one.
     */
    static void checkFinite(NDArray sum, NDArray selected) {
        if (!selected.getDataType().isFloating()) {
            return;
        }
        double s = sum.toType(DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(s)) {
            throw new AttributionException(
                    "the forward function returned NaN or infinite values for the target"
                            + " (selected values of shape "
                            + CallShapes.output(selected.getShape())
                            + ")");
        }
    }
}
