package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

/**
 * The components {@link ImageVisualization.Options} and {@link TimeseriesVisualization.Options}
 * share (normalisation, colours and the figure), their checks and the colormap they resolve to.
 * Not API (its methods are the records' accessors).
 */
interface FigureOptions {

    /**
     * Which attributions.
     *
     * @return the sign
     */
    VisualizeSign sign();

    /**
     * Captum's {@code outlier_perc}.
     *
     * @return the percentage
     */
    double outlierPerc();

    /**
     * The colormap asked for, or null.
     *
     * @return the colormap
     */
    Colormap cmap();

    /**
     * The heat map's opacity where it is blended.
     *
     * @return the alpha
     */
    double alphaOverlay();

    /**
     * Whether a colour bar is drawn.
     *
     * @return the flag
     */
    boolean showColorbar();

    /**
     * The title, or null.
     *
     * @return the title
     */
    String title();

    /**
     * The figure size.
     *
     * @return inches
     */
    ImageVisualization.FigSize figSize();

    /**
     * Pixels per inch.
     *
     * @return the dpi
     */
    int dpi();

    /**
     * The fixed scale, or null for Captum's normalisation.
     *
     * @return the scale
     */
    Double scale();

    /**
     * The colormap used: {@link #cmap()} or the sign's default.
     *
     * @return the colormap
     */
    default Colormap colormap() {
        return cmap() != null ? cmap() : sign().defaultColormap();
    }

    /** Checks the shared components (the sign is checked by each record, first). */
    static void check(
            double outlierPerc,
            double alphaOverlay,
            ImageVisualization.FigSize figSize,
            int dpi,
            Double scale) {
        Normalization.checkOutlierPerc(outlierPerc);
        Checks.argument(
                alphaOverlay >= 0 && alphaOverlay <= 1,
                "alphaOverlay must be in [0, 1], got %s",
                alphaOverlay);
        Checks.notNull(figSize, "figSize");
        Checks.argument(dpi >= 10 && dpi <= 600, "dpi must be in [10, 600], got %s", dpi);
        if (scale != null) {
            Normalization.checkScale(scale);
        }
    }
}
