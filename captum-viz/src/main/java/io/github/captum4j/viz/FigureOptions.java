package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

/**
 * The components {@link ImageVisualization.Options} and {@link TimeseriesVisualization.Options}
 * share (normalisation, colours and the figure), their checks and the colormap they resolve to.
 * Not API (its methods are the records' accessors).
 */
interface FigureOptions {

    /**
     * The most pixels a figure may have: 40 million (160 MB as 32-bit RGB), e.g. 10 x 6.6 inches at
     * 600 dpi. Within each option's own range ({@code figSize} up to 100 inches a side, {@code dpi}
     * up to 600) larger products would need gigabytes or overflow Java2D's int sizes.
     */
    long MAX_PIXELS = 40_000_000L;

    /**
     * Pixels of one side of a figure: {@code round(inches x dpi)}, at least 1.
     *
     * @param inches the side in inches
     * @param dpi pixels per inch
     * @return the pixels
     */
    static int pixels(double inches, int dpi) {
        return (int) Math.max(1, Math.round(inches * dpi));
    }

    /**
     * Checks that a figure of this size fits in {@link #MAX_PIXELS}.
     *
     * @param figSize the size in inches
     * @param dpi pixels per inch
     */
    static void checkPixels(ImageVisualization.FigSize figSize, int dpi) {
        long w = pixels(figSize.width(), dpi);
        long h = pixels(figSize.height(), dpi);
        Checks.argument(
                w * h <= MAX_PIXELS,
                "figSize x dpi must give at most %s pixels, got (%s, %s) in at %s dpi = %s x %s"
                        + " pixels; lower figSize or dpi",
                MAX_PIXELS,
                figSize.width(),
                figSize.height(),
                dpi,
                w,
                h);
    }

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
        checkPixels(figSize, dpi);
        if (scale != null) {
            Normalization.checkScale(scale);
        }
    }
}
