package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One checkpoint loaded: its forward function, its layers when they can be tapped, and its
 * trainable parameters under their PyTorch names ({@code fc2.weight}). Not API.
 *
 * @param owner what {@link #close()} closes: the loaded model
 * @param forward the model's forward function
 * @param imported the imported model, or {@code null} for a TorchScript module
 * @param layers the model's layers, or {@code null} if it exposes none
 * @param parameters the trainable parameters by PyTorch name, in model order
 * @param description the checkpoint, for messages
 */
record LoadedModel(
        AutoCloseable owner,
        ForwardFunction forward,
        ImportedModel imported,
        LayerAccess layers,
        Map<String, NDArray> parameters,
        String description)
        implements AutoCloseable {

    /**
     * Loads a checkpoint; an imported model's parameters live in a sub-manager of {@code manager}.
     */
    static LoadedModel open(Checkpoint checkpoint, NDManager manager) {
        String what = "checkpoint " + checkpoint.file().getFileName();
        if (checkpoint.isTorchScript()) {
            TorchScriptModel m = TorchScriptModel.load(checkpoint.file(), manager.getDevice());
            // this instance is ours alone: the script executor differentiates parameters only when
            // the module itself is unfrozen (a flag set on the parameter handles is not enough)
            m.block().freezeParameters(false);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : m.block().getDirectParameters()) {
                params.put(p.getKey(), p.getValue().getArray());
            }
            return new LoadedModel(m, m, null, m.layerNames().isEmpty() ? null : m, params, what);
        }
        ImportedModel m;
        try {
            m = ImportedModel.load(checkpoint.file(), manager);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + checkpoint.file(), e);
        }
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (String name : m.layerNames()) {
            Block b = m.layer(name);
            if (!b.getChildren().isEmpty()) {
                continue;
            }
            for (Pair<String, Parameter> p : b.getDirectParameters()) {
                String ptName = torchName(p.getKey());
                if (ptName != null) {
                    params.put(name + "." + ptName, p.getValue().getArray());
                }
            }
        }
        return new LoadedModel(m, m.forwardFunction(), m, m, params, what);
    }

    /** DJL's parameter names as PyTorch's; {@code null} for statistics that are not trained. */
    private static String torchName(String djlName) {
        switch (djlName) {
            case "gamma":
                return "weight";
            case "beta":
                return "bias";
            case "runningMean":
            case "runningVar":
                return null;
            default:
                return djlName;
        }
    }

    /** The layers, or an exception naming what is needed. */
    LayerAccess layers(String method) {
        Checks.argument(
                layers != null,
                "checkpoints: %s needs the layers of %s; give an imported model (.json) or a"
                        + " TorchScript module exported with taps (tools/export_taps.py)",
                method,
                description);
        return layers;
    }

    /** Whether a layer is a {@code Linear} of an imported model (closed-form gradients). */
    boolean isLinear(String layer) {
        return imported != null && "Linear".equals(imported.layerType(layer));
    }

    /** The layers owning trainable parameters, in model order. */
    List<String> parameterLayers() {
        List<String> out = new ArrayList<>();
        for (String name : parameters.keySet()) {
            String layer = name.substring(0, Math.max(0, name.lastIndexOf('.')));
            if (!out.contains(layer)) {
                out.add(layer);
            }
        }
        return out;
    }

    /** The trainable parameters of a layer (weight first), checked to exist. */
    List<NDArray> parametersOf(String layer) {
        List<NDArray> out = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            if (e.getKey().startsWith(layer + ".")
                    && e.getKey().indexOf('.', layer.length() + 1) < 0) {
                out.add(e.getValue());
            }
        }
        Checks.argument(
                !out.isEmpty(),
                "layers: '%s' has no trainable parameters in %s; layers with parameters: %s",
                layer,
                description,
                parameterLayers());
        return out;
    }

    /** Whether the layer has a parameter named {@code bias}. */
    boolean hasBias(String layer) {
        return parameters.containsKey(layer + ".bias");
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close " + description, e);
        }
    }
}
