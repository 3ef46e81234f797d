package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import org.immutables.value.Value;

import java.util.List;

/**
 * GradCAM: a layer's channels weighted by the spatial mean of the target's gradient with respect to
 * them and summed over channels:
 *
 * <p>\( \mathrm{GradCAM}(x) = \sum_c w_c\, a_{c}(x),\quad w_c = \frac{1}{|S|} \sum_{s \in S}
 * \frac{\partial F}{\partial a_{c,s}}(x) \)
 *
 * <p>where \( a \) is the layer value {@code (N, C, ...)} and \( S \) its spatial positions (a
 * layer value with only two dimensions is weighted by its gradient as is). With {@code
 * reluAttributions} a ReLU is applied to the result; with {@code attrDimSummation = false} the
 * channels are not summed. Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via
 * Gradient-based Localization", 2016, <a
 * href="https://arxiv.org/abs/1610.02391">arXiv:1610.02391</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)}, no baselines. Output: {@code (N, 1, ...)} (or
 * {@code (N, C, ...)} without channel summation), usually upsampled to the input with {@link
 * LayerAttribution#interpolate}.
 *
 * <pre>{@code
 * LayerGradCam gc = new LayerGradCam(model, LayerPath.of("layer3.1.conv2"));
 * try (Attribution a = gc.attribute(Inputs.of(images), Target.index(1))) {
 *     NDArray map = LayerAttribution.interpolate(a.attribution(0), new long[] {64, 64},
 *             Interpolation.BILINEAR);
 * }
 * }</pre>
 */
@Value.Enclosing
public final class LayerGradCam extends LayerMethod<LayerGradCam.Options> {

    /**
     * GradCAM on one layer.
     *
     * @param model the model
     * @param layer the layer, usually a convolution or a stage of convolutions
     */
    public LayerGradCam(LayerAccess model, LayerPath layer) {
        super(MethodInfo.gradient("GradCAM", Options.DEFAULTS), model, List.of(layer));
    }

    /**
     * How one call runs, with Captum's names and defaults.
     * A copy with one component changed: {@code withX(value)} for every component {@code x}
     * (generated at compile time, Immutables), validated like a new record.
     *
     * @param attributeToLayerInput use the layer's input instead of its output (default false)
     * @param reluAttributions apply a ReLU to the result (default false)
     * @param attrDimSummation sum over channels (default true)
     */
    @Value.Builder
    public record Options(
            boolean attributeToLayerInput, boolean reluAttributions, boolean attrDimSummation)
            implements LayerGradCamBuilders.WithOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(false, false, true);

    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            Gradients.LayerResult r = atLayers(tap, inputs, target);
            NDList out = new NDList(1);
            NDArray grad = r.layerGradients().get(0);
            NDArray weighted = spatialMean(grad).mul(r.values().get(0));
            if (options.attrDimSummation()) {
                weighted = weighted.sum(new int[] {1}, true);
            }
            out.add(options.reluAttributions() ? Activation.relu(weighted) : weighted);
            return new Result(out, null);
        }
    }

    /** The gradient's mean over dimensions 2, 3, ... (kept), or the gradient if it has none. */
    private static NDArray spatialMean(NDArray grad) {
        Shape shape = grad.getShape();
        if (shape.dimension() <= 2) {
            return grad;
        }
        int[] axes = new int[shape.dimension() - 2];
        long count = 1;
        for (int d = 2; d < shape.dimension(); d++) {
            axes[d - 2] = d;
            count *= shape.get(d);
        }
        // libtorch's engine binding takes one axis per mean: a sum over all of them, divided
        return grad.sum(axes, true).div((float) count);
    }
}
