package io.github.captum4j.core.layer;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A model whose layers can be reached by name for a forward pass: what layer and neuron attribution
 * methods need (Captum reaches layers with forward hooks). Implementations: {@link
 * io.github.captum4j.core.model.ImportedModel} (a DJL Block tree with PyTorch's module names; its
 * {@code forwardFunction()} is one too) and {@link io.github.captum4j.core.model.TorchScriptModel}
 * for a module exported with taps by {@code tools/export_taps.py}.
 *
 * <pre>{@code
 * LayerAccess model = ImportedModel.load(Path.of("tiny_resnet.json"), manager);
 * try (LayerTap tap = model.tap(List.of(LayerPath.of("layer3.1.conv2")), TapSite.OUTPUT)) {
 *     tap.forward(new NDList(x), List.of());
 *     NDArray activation = tap.values().get(0);
 * }
 * }</pre>
 */
public interface LayerAccess {

    /**
     * The names of the layers that can be tapped, as PyTorch dotted paths.
     *
     * @return the names
     */
    List<String> layerNames();

    /**
     * The model as a plain forward function (no tap). By default the access itself, which must
     * then be a {@link ForwardFunction}; a model that is not one overrides this.
     *
     * @return the forward function
     * @throws IllegalStateException if this is not a forward function and does not override this
     */
    default ForwardFunction forwardFunction() {
        if (this instanceof ForwardFunction f) {
            return f;
        }
        throw new IllegalStateException(
                getClass().getName() + " is not a ForwardFunction and must override forwardFunction()");
    }

    /**
     * Opens a tap on layers for the forward passes run through it. The model is not modified.
     *
     * @param layers the layers, at least one, each at most once
     * @param site their outputs or their inputs
     * @return the tap; close it (try-with-resources)
     * @throws IllegalArgumentException if a layer does not exist (the message lists close matches)
     *     or the site is not available for it
     */
    LayerTap tap(List<LayerPath> layers, TapSite site);

    /**
     * The layer access of a forward function, if it has one.
     *
     * @param forwardFunction an {@link io.github.captum4j.core.model.ImportedModel}'s forward
     *     function or a {@link io.github.captum4j.core.model.TorchScriptModel}
     * @return the same object, as a layer access
     * @throws IllegalArgumentException if the function exposes no layers
     */
    static LayerAccess of(ForwardFunction forwardFunction) {
        Checks.notNull(forwardFunction, "forwardFunction");
        Checks.argument(
                forwardFunction instanceof LayerAccess,
                "forwardFunction must expose named layers for a layer or neuron method (an"
                    + " ImportedModel, its forwardFunction(), or a TorchScriptModel exported with"
                    + " tools/export_taps.py), got %s",
                forwardFunction.getClass().getName());
        return (LayerAccess) forwardFunction;
    }

    /**
     * Checks a list of layers for {@link #tap}: not empty, no layer twice.
     *
     * @param layers the layers
     * @return an immutable copy
     */
    static List<LayerPath> checkLayers(List<LayerPath> layers) {
        Checks.notNull(layers, "layers");
        Checks.argument(!layers.isEmpty(), "layers must name at least one layer, got none");
        for (int i = 0; i < layers.size(); i++) {
            Checks.argument(layers.get(i) != null, "layers[%s] must not be null", i);
            Checks.argument(
                    layers.indexOf(layers.get(i)) == i,
                    "layers must name each layer once, got '%s' twice",
                    layers.get(i));
        }
        return List.copyOf(layers);
    }

    /**
     * The exception for a layer name a model does not have, listing the closest names it has (by
     * edit distance), or its top-level names if none is close.
     *
     * @param name the name asked for
     * @param model the model's description, e.g. {@code model 'tiny_resnet'}
     * @param known the names the model has
     * @return the exception to throw
     */
    static IllegalArgumentException unknownLayer(
            String name, String model, Collection<String> known) {
        List<String> sorted = new ArrayList<>(known);
        sorted.sort(
                Comparator.comparingInt((String n) -> editDistance(n, name)).thenComparing(n -> n));
        int limit = Math.max(3, name.length() / 2);
        List<String> picked = new ArrayList<>();
        for (String n : sorted) {
            if (picked.size() == 5 || editDistance(n, name) > limit) {
                break;
            }
            picked.add(n);
        }
        String hint;
        if (picked.isEmpty()) {
            List<String> top = new ArrayList<>();
            for (String n : known) {
                if (n.indexOf('.') < 0) {
                    top.add(n);
                }
            }
            hint = "; its top-level modules are " + top;
        } else {
            hint = "; close matches: " + picked;
        }
        return new IllegalArgumentException(
                "layer '" + name + "' does not exist in " + model + hint);
    }

    /**
     * Levenshtein distance between two names.
     *
     * @param a one name
     * @param b the other
     * @return the number of single-character edits
     */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
