package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;

import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.TapSite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a TorchScript module exported with taps offers: its tap names (in the order {@code
 * forward_taps} takes deltas and returns activations), whether it has {@code forward_taps_scaled},
 * and the per-example activation shapes seen so far for each input signature (gradient leaves must
 * be created with the activation's shape before the forward pass).
 */
final class ScriptTaps {

    private static final ScriptTaps NONE = new ScriptTaps(List.of(), false);

    private final List<String> names;
    private final List<String> layerNames;
    private final boolean scaled;
    private final Map<String, Shape[]> shapes = new ConcurrentHashMap<>();

    private ScriptTaps(List<String> names, boolean scaled) {
        this.names = List.copyOf(names);
        List<String> layers = new ArrayList<>();
        for (String n : names) {
            String layer =
                    n.endsWith(TorchScriptModel.INPUT_SUFFIX)
                            ? n.substring(0, n.length() - TorchScriptModel.INPUT_SUFFIX.length())
                            : n;
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
        }
        this.layerNames = Collections.unmodifiableList(layers);
        this.scaled = scaled;
    }

    /** Reads the taps of a loaded module (none if it was not exported with taps). */
    static ScriptTaps read(PtSymbolBlock block) {
        List<String> methods = Torch.methodNames(block);
        if (!methods.contains(TorchScriptModel.FORWARD_TAPS)
                || !methods.contains(TorchScriptModel.TAP_NAMES)) {
            return NONE;
        }
        return new ScriptTaps(
                TorchScriptModel.stringList(block, TorchScriptModel.TAP_NAMES),
                methods.contains(TorchScriptModel.FORWARD_TAPS_SCALED));
    }

    boolean exported() {
        return !names.isEmpty();
    }

    boolean hasScaled() {
        return scaled;
    }

    /** Number of exported taps, the length of the delta list. */
    int count() {
        return names.size();
    }

    List<String> layerNames() {
        return layerNames;
    }

    /** The position of a layer's tap among the exported ones. */
    int indexOf(LayerPath layer, TapSite site) {
        String name =
                site == TapSite.INPUT ? layer.name() + TorchScriptModel.INPUT_SUFFIX : layer.name();
        int i = names.indexOf(name);
        if (i < 0) {
            if (site == TapSite.INPUT && layerNames.contains(layer.name())) {
                throw new IllegalArgumentException(
                        "layer '"
                                + layer
                                + "' was exported with an output tap only; export it with"
                                + " tools/export_taps.py --input-taps to tap its input");
            }
            IllegalArgumentException e =
                    LayerAccess.unknownLayer(
                            layer.name(), "the taps of this TorchScript module", layerNames);
            throw new IllegalArgumentException(
                    e.getMessage()
                            + " (only layers named at export by tools/export_taps.py can be"
                            + " tapped)");
        }
        return i;
    }

    /** The cache key of an input signature: dtypes and shapes without the batch. */
    static String signature(List<?> inputs) {
        StringBuilder sb = new StringBuilder();
        for (Object o : inputs) {
            if (o instanceof NDArray a) {
                Shape s = a.getShape();
                sb.append(a.getDataType()).append(s.dimension() == 0 ? s : s.slice(1)).append(';');
            } else {
                sb.append(o).append(';');
            }
        }
        return sb.toString();
    }

    /** The per-example activation shapes of every tap for a signature, or null if not seen. */
    Shape[] shapes(String signature) {
        return shapes.get(signature);
    }

    void rememberShapes(String signature, Shape[] perExample) {
        shapes.putIfAbsent(signature, perExample);
    }
}
