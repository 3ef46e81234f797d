package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * Guided Grad-CAM: guided backpropagation multiplied element-wise by the layer's Grad-CAM map
 * upsampled to the input size, \( A = \mathrm{GB}(x) \odot \mathrm{up}\big(\mathrm{ReLU}(\sum_k
 * \alpha_k a^k)\big) \) with \( \alpha_k \) the mean gradient of channel \( k \).
 *
 * <p>Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", 2017, <a href="https://arxiv.org/abs/1610.02391">arXiv:1610.02391</a>.
 *
 * <p>As Captum: {@link LayerGradCam} with {@code reluAttributions = true}, {@link GuidedBackprop}
 * on the same model, the map upsampled to each input's trailing (spatial) dimensions with {@code
 * interpolateMode}. The model must be a Block model. Inputs: floating-point {@code (N, C, H, W)};
 * no baselines. Output: one tensor per input, of its shape.
 *
 * <pre>{@code
 * GuidedGradCam ggc = new GuidedGradCam(model, LayerPath.of("layer4"));
 * try (Attribution a = ggc.attribute(Inputs.of(images), Target.index(3))) { ... }
 * }</pre>
 */
public final class GuidedGradCam extends GradientAttribution<GuidedGradCam.Options> {

    private final LayerGradCam gradCam;
    private final GuidedBackprop guidedBackprop;

    /**
     * Guided Grad-CAM of a Block model at one layer.
     *
     * @param model the model; must be a Block model
     * @param layer the layer whose Grad-CAM map is used (usually the last convolutional one)
     * @throws IllegalArgumentException if the model is not a Block model or has no such layer
     */
    public GuidedGradCam(LayerAccess model, LayerPath layer) {
        super(
                MethodInfo.gradient("Guided GradCAM", Options.DEFAULTS),
                Checks.notNull(model, "model").forwardFunction());
        this.gradCam = new LayerGradCam(model, layer);
        this.guidedBackprop = new GuidedBackprop(model.forwardFunction());
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param interpolateMode how the Grad-CAM map is upsampled (default nearest)
     * @param attributeToLayerInput use the layer's input for Grad-CAM (default false)
     */
    public record Options(Interpolation interpolateMode, boolean attributeToLayerInput) {
        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(Interpolation.NEAREST, false);

        /**
         * Checks the components.
         *
         * @param interpolateMode how the Grad-CAM map is upsampled (default nearest)
         * @param attributeToLayerInput use the layer's input for Grad-CAM (default false)
         */
        public Options {
            Checks.notNull(interpolateMode, "interpolateMode");
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        LayerGradCam.Options camOptions =
                LayerGradCam.Options.DEFAULTS
                        .withAttributeToLayerInput(options.attributeToLayerInput())
                        .withReluAttributions(true);
        // both results land in the scratch manager (the borrowed inputs' manager)
        Attribution cam = gradCam.attribute(inputs, target, camOptions);
        Attribution guided = guidedBackprop.attribute(inputs, target);
        NDArray map = cam.attribution(0);
        NDList out = new NDList(inputs.tensors().size());
        for (NDArray x : inputs.tensors()) {
            long[] size = x.getShape().slice(2).getShape();
            NDArray up = LayerAttribution.interpolate(map, size, options.interpolateMode());
            out.add(guided.attribution(out.size()).mul(up));
        }
        return new Result(out, null);
    }
}
