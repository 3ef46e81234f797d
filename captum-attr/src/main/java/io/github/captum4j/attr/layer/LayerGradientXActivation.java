package io.github.captum4j.attr.layer;

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
 * Layer Gradient × Activation: the gradient of the target with respect to a layer's value times
 * that value, \( \frac{\partial F}{\partial a_\ell}(x) \cdot a_\ell(x) \), the layer analogue of
 * Input × Gradient.
 *
 * <p>Shrikumar, Greenside, Shcherbina and Kundaje, "Not Just a Black Box: Learning Important
 * Features Through Propagating Activation Differences", 2016, <a
 * href="https://arxiv.org/abs/1605.01713">arXiv:1605.01713</a>. Inputs: floating-point tensors
 * {@code (N, ...)}, no baselines. Output: one tensor per layer, of the layer value's shape. With
 * {@code multiplyByInputs = false} the plain layer gradient is returned.
 *
 * <pre>{@code
 * LayerGradientXActivation lga = new LayerGradientXActivation(model, LayerPath.of("fc2"));
 * try (Attribution a = lga.attribute(Inputs.of(x), Target.index(1))) { ... }
 * }</pre>
 */
public final class LayerGradientXActivation extends LayerMethod<LayerGradientXActivation.Options> {

    /**
     * The method on one layer, multiplied by the activation (Captum's default).
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerGradientXActivation(LayerAccess model, LayerPath layer) {
        this(model, List.of(layer), true);
    }

    /**
     * The method on several layers, from one forward and one backward pass.
     *
     * @param model the model
     * @param layers the layers
     * @param multiplyByInputs whether to multiply the gradient by the activation (Captum's {@code
     *     multiply_by_inputs})
     */
    public LayerGradientXActivation(
            LayerAccess model, List<LayerPath> layers, boolean multiplyByInputs) {
        super(
                MethodInfo.gradient("Layer Gradient X Activation", Options.DEFAULTS)
                        .withMultiplyByInputs(multiplyByInputs)
                        .withIntegerInputs(),
                model,
                layers);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param attributeToLayerInput attribute to the layers' inputs instead of their outputs
     *     (default false)
     */
    public record Options(boolean attributeToLayerInput) {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            Gradients.LayerResult r = atLayers(tap, inputs, target);
            NDList grads = r.layerGradients();
            return new Result(multipliesByInputs() ? times(grads, r.values()) : grads, null);
        }
    }
}
