package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.TapSite;

import java.util.ArrayList;
import java.util.List;

/**
 * A tap on a TorchScript module exported with taps: every forward pass calls {@code
 * forward_taps(inputs..., deltas)}, which adds {@code deltas[j]} to the j-th exported activation
 * and returns {@code [output, activations...]}. Capture reads the activation; the gradient is the
 * gradient with respect to the delta; a replacement either zeroes the activation's scale ({@code
 * forward_taps_scaled}) or subtracts the activation a first pass computed.
 */
final class ScriptTap extends AbstractTap {

    private final TorchScriptModel model;
    private final ScriptTaps taps;
    private final int[] indices;

    ScriptTap(
            TorchScriptModel model,
            ScriptTaps taps,
            List<LayerPath> layers,
            int[] indices,
            TapSite site) {
        super(layers, site);
        this.model = model;
        this.taps = taps;
        this.indices = indices.clone();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        begin();
        NDManager manager = inputs.get(0).getManager();
        boolean replacing = false;
        for (int i = 0; i < indices.length; i++) {
            replacing |= replacement(i) != null;
        }
        NDList current = null;
        if (replacing && !taps.hasScaled()) {
            current = run(inputs, additionalArgs, null, zeros(manager), false);
        }
        NDList deltas = zeros(manager);
        NDList scales = null;
        NDArray[] leaves = new NDArray[indices.length];
        Shape[] shapes = recording() && !replacing ? shapes(inputs, additionalArgs) : null;
        for (int i = 0; i < indices.length; i++) {
            NDArray d;
            if (replacement(i) != null) {
                d =
                        current == null
                                ? replacement(i)
                                : replacement(i).sub(current.get(1 + indices[i]));
            } else if (delta(i) != null) {
                d = delta(i);
            } else if (shapes != null && shapes[indices[i]] != null) {
                d = manager.zeros(batched(inputs, shapes[indices[i]]));
            } else {
                continue;
            }
            if (recording() && d.getDataType().isFloating()) {
                leaves[i] = leaf(d);
                d = leaves[i];
            }
            deltas.set(indices[i], d);
        }
        if (replacing && current == null) {
            scales = new NDList(taps.count());
            for (int j = 0; j < taps.count(); j++) {
                scales.add(manager.create(1f));
            }
            for (int i = 0; i < indices.length; i++) {
                if (replacement(i) != null) {
                    scales.set(indices[i], manager.create(0f));
                }
            }
        }
        NDList out = run(inputs, additionalArgs, scales, deltas, recording());
        for (int i = 0; i < indices.length; i++) {
            record(i, out.get(1 + indices[i]), leaves[i]);
        }
        return out.get(0);
    }

    private NDList run(
            NDList inputs, List<Object> args, NDList scales, NDList deltas, boolean grad) {
        return Gradients.withGradMode(grad, () -> model.forwardTaps(inputs, args, scales, deltas));
    }

    /** One zero scalar per exported tap: the activations pass unchanged. */
    private NDList zeros(NDManager manager) {
        NDList out = new NDList(taps.count());
        for (int j = 0; j < taps.count(); j++) {
            out.add(manager.create(0f));
        }
        return out;
    }

    /** Per-example activation shapes, learnt once per input signature with a capture pass. */
    private Shape[] shapes(NDList inputs, List<Object> args) {
        List<Object> all = new ArrayList<>(inputs);
        all.addAll(args);
        String signature = ScriptTaps.signature(all);
        Shape[] known = taps.shapes(signature);
        if (known != null) {
            return known;
        }
        try (NDManager probe = inputs.get(0).getManager().newSubManager()) {
            NDList out = run(inputs, args, null, zeros(probe), false);
            Shape[] perExample = new Shape[taps.count()];
            for (int j = 0; j < perExample.length; j++) {
                NDArray a = out.get(1 + j);
                // integer activations (token ids at an input tap) take no gradient leaf
                perExample[j] =
                        a.getDataType().isFloating() && a.getShape().dimension() > 0
                                ? a.getShape().slice(1)
                                : null;
            }
            out.close();
            taps.rememberShapes(signature, perExample);
            return perExample;
        }
    }

    private static Shape batched(NDList inputs, Shape perExample) {
        return new Shape(inputs.get(0).getShape().get(0)).addAll(perExample);
    }
}
