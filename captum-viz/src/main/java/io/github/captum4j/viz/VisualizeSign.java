package io.github.captum4j.viz;

/**
 * Which attributions a visualisation shows (Captum's {@code sign}), with the colormap and value
 * range Captum uses for each by default.
 */
public enum VisualizeSign {
    /** Only positive attributions, scaled to [0, 1]; default colormap {@link Colormap#GREENS}. */
    POSITIVE(Colormap.GREENS, 0),
    /** The absolute value of the attributions, scaled to [0, 1]; default {@link Colormap#BLUES}. */
    ABSOLUTE_VALUE(Colormap.BLUES, 0),
    /**
     * Only negative attributions, scaled by their magnitude to [0, 1]; default {@link
     * Colormap#REDS}.
     */
    NEGATIVE(Colormap.REDS, 0),
    /**
     * Positive and negative attributions, scaled to [-1, 1]; default {@link Colormap#RD_WH_GN}. Not
     * available for {@link ImageVisualizationMethod#MASKED_IMAGE} and {@link
     * ImageVisualizationMethod#ALPHA_SCALING}, which cannot show a sign.
     */
    ALL(Colormap.RD_WH_GN, -1);

    private final Colormap defaultColormap;
    private final double vmin;

    VisualizeSign(Colormap defaultColormap, double vmin) {
        this.defaultColormap = defaultColormap;
        this.vmin = vmin;
    }

    /**
     * Captum's default colormap for this sign.
     *
     * @return the colormap
     */
    public Colormap defaultColormap() {
        return defaultColormap;
    }

    /**
     * The normalised value drawn with the colormap's first colour: -1 for {@link #ALL}, else 0 (the
     * last colour is always drawn at 1).
     *
     * @return the lower end of the colour scale
     */
    public double vmin() {
        return vmin;
    }
}
