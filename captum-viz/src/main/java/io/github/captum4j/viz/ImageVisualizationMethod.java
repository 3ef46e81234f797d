package io.github.captum4j.viz;

/** How an image attribution is drawn (Captum's {@code method} of {@code visualize_image_attr}). */
public enum ImageVisualizationMethod {
    /** The normalised attributions through the colormap. */
    HEAT_MAP(false),
    /**
     * The heat map with opacity {@code alphaOverlay} over a grey version of the image (the mean of
     * its channels, scaled from its minimum to its maximum).
     */
    BLENDED_HEAT_MAP(true),
    /** Only the image (a one-channel image is drawn as matplotlib draws a 2-D array: viridis). */
    ORIGINAL_IMAGE(true),
    /** The image multiplied pixel by pixel by the normalised attributions. */
    MASKED_IMAGE(true),
    /** The image with each pixel's opacity set to its normalised attribution, over white. */
    ALPHA_SCALING(true);

    private final boolean needsImage;

    ImageVisualizationMethod(boolean needsImage) {
        this.needsImage = needsImage;
    }

    /**
     * Whether the method draws the original image, which must then be given.
     *
     * @return {@code true} for every method but {@link #HEAT_MAP}
     */
    public boolean needsImage() {
        return needsImage;
    }

    /**
     * Whether the method draws a colormap, so a colour bar can be shown for it.
     *
     * @return {@code true} for {@link #HEAT_MAP} and {@link #BLENDED_HEAT_MAP}
     */
    public boolean drawsHeatMap() {
        return this == HEAT_MAP || this == BLENDED_HEAT_MAP;
    }
}
