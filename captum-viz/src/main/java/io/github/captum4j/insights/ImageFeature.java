package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

import java.util.function.UnaryOperator;

/**
 * An image input, {@code (N, C, H, W)} with 1 (grey) or 3 (RGB) channels (Captum's {@code
 * ImageFeature}). Insights shows the image, the attribution's magnitude as a heat map, and the
 * signed attribution blended over the image.
 *
 * <p>Transforms receive one example without its batch dimension ({@code (C, H, W)}), as torchvision
 * transforms do in Captum; they should start their expressions from that argument so that their
 * results live in the call's scratch memory.
 *
 * <pre>{@code
 * ImageFeature photo = ImageFeature.of("Photo")
 *         .withInputTransform(x -> x.sub(0.5f).div(0.25f))   // normalisation the model expects
 *         .withBaselineTransform(x -> x.zerosLike());
 * }</pre>
 *
 * @param name the label
 * @param baselineTransform makes the baseline from the transformed input, or {@code null} for zeros
 * @param inputTransform turns the data into the model's input, or {@code null} for none
 * @param visualizationTransform turns the data into the picture shown (values in [0, 1] or 0–255),
 *     or {@code null} for the data itself
 */
public record ImageFeature(
        String name,
        UnaryOperator<NDArray> baselineTransform,
        UnaryOperator<NDArray> inputTransform,
        UnaryOperator<NDArray> visualizationTransform)
        implements Feature {

    /**
     * Validates the name.
     *
     * @param name the label
     * @param baselineTransform makes the baseline from the transformed input, or {@code null} for
     *     zeros
     * @param inputTransform turns the data into the model's input, or {@code null} for none
     * @param visualizationTransform turns the data into the picture shown (values in [0, 1] or
     *     0–255), or {@code null} for the data itself
     */
    public ImageFeature {
        Checks.notNull(name, "name");
    }

    /**
     * An image feature without transforms (zero baseline).
     *
     * @param name the label
     * @return the feature
     */
    public static ImageFeature of(String name) {
        return new ImageFeature(name, null, null, null);
    }

    /**
     * A copy with another baseline transform.
     *
     * @param transform the transform
     * @return the copy
     */
    public ImageFeature withBaselineTransform(UnaryOperator<NDArray> transform) {
        return new ImageFeature(name, transform, inputTransform, visualizationTransform);
    }

    /**
     * A copy with another input transform.
     *
     * @param transform the transform
     * @return the copy
     */
    public ImageFeature withInputTransform(UnaryOperator<NDArray> transform) {
        return new ImageFeature(name, baselineTransform, transform, visualizationTransform);
    }

    /**
     * A copy with another visualisation transform.
     *
     * @param transform the transform
     * @return the copy
     */
    public ImageFeature withVisualizationTransform(UnaryOperator<NDArray> transform) {
        return new ImageFeature(name, baselineTransform, inputTransform, transform);
    }

    /** {@inheritDoc} */
    @Override
    public String visualizationType() {
        return "image";
    }
}
