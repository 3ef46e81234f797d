package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import java.util.List;

/**
 * Layer Activation: the value of a layer's output (or input) for the inputs, \( a_\ell(x) \), with
 * no gradient — the baseline every layer attribution is read against.
 *
 * <p>Not a paper method; Captum's {@code LayerActivation}. Inputs: tensors {@code (N, ...)} of any
 * type the model takes (token ids included); no baselines, {@link Target#none()}. Output: one
 * tensor per layer, of the layer value's shape.
 *
 * <pre>{@code
 * LayerActivation act = new LayerActivation(model, LayerPath.of("layer3.1.conv2"));
 * try (Attribution a = act.attribute(Inputs.of(images), Target.none())) {
 *     NDArray activation = a.attribution(0); // (N, 32, 4, 4)
 * }
 * }</pre>
 */
public final class LayerActivation extends LayerMethod<LayerActivation.Options> {

    /**
     * The activation of one layer.
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerActivation(LayerAccess model, LayerPath layer) {
        this(model, List.of(layer));
    }

    /**
     * The activations of several layers, from one forward pass.
     *
     * @param model the model
     * @param layers the layers
     */
    public LayerActivation(LayerAccess model, List<LayerPath> layers) {
        super(
                MethodInfo.gradient("Layer Activation", Options.DEFAULTS).withIntegerInputs(),
                model,
                layers);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param attributeToLayerInput the layers' inputs instead of their outputs (default false)
     */
    public record Options(boolean attributeToLayerInput) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        requireNoTarget(target, name());
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            NDList values = Gradients.layerValues(tap, inputs.tensors(), inputs.additionalArgs());
            NDList out = new NDList(values.size());
            for (NDArray v : values) {
                // an input tap on the first layer sees the caller's own array: hand back a copy
                boolean callers = inputs.tensors().stream().anyMatch(x -> x == v);
                out.add(callers ? v.duplicate() : v);
            }
            return new Result(out, null);
        }
    }
}
