package io.github.captum4j.viz;

/**
 * The setters the builders of {@link ImageVisualization.Options} and {@link
 * TimeseriesVisualization.Options} share: how attributions are normalised and coloured, and the
 * figure around them. Each sets the component of its name. Not API (its public setters are part of
 * the two builders).
 *
 * @param <B> the builder
 */
abstract class FigureOptionsBuilder<B extends FigureOptionsBuilder<B>> {

    VisualizeSign sign;
    double outlierPerc;
    Colormap cmap;
    double alphaOverlay;
    boolean showColorbar;
    String title;
    ImageVisualization.FigSize figSize;
    int dpi;
    Double scale;

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Copies the shared components of an options record. */
    final void copy(FigureOptions o) {
        sign = o.sign();
        outlierPerc = o.outlierPerc();
        cmap = o.cmap();
        alphaOverlay = o.alphaOverlay();
        showColorbar = o.showColorbar();
        title = o.title();
        figSize = o.figSize();
        dpi = o.dpi();
        scale = o.scale();
    }

    /**
     * Sets {@code sign}.
     *
     * @param value which attributions
     * @return this
     */
    public B sign(VisualizeSign value) {
        sign = value;
        return self();
    }

    /**
     * Sets {@code outlierPerc}.
     *
     * @param value the percentage
     * @return this
     */
    public B outlierPerc(double value) {
        outlierPerc = value;
        return self();
    }

    /**
     * Sets {@code cmap}.
     *
     * @param value the colormap, or null for the sign's default
     * @return this
     */
    public B cmap(Colormap value) {
        cmap = value;
        return self();
    }

    /**
     * Sets {@code alphaOverlay}.
     *
     * @param value the opacity
     * @return this
     */
    public B alphaOverlay(double value) {
        alphaOverlay = value;
        return self();
    }

    /**
     * Sets {@code showColorbar}.
     *
     * @param value whether to draw a colour bar
     * @return this
     */
    public B showColorbar(boolean value) {
        showColorbar = value;
        return self();
    }

    /**
     * Sets {@code title}.
     *
     * @param value the title, or null
     * @return this
     */
    public B title(String value) {
        title = value;
        return self();
    }

    /**
     * Sets {@code figSize}.
     *
     * @param width inches
     * @param height inches
     * @return this
     */
    public B figSize(double width, double height) {
        figSize = new ImageVisualization.FigSize(width, height);
        return self();
    }

    /**
     * Sets {@code dpi}.
     *
     * @param value pixels per inch
     * @return this
     */
    public B dpi(int value) {
        dpi = value;
        return self();
    }

    /**
     * Sets {@code scale}.
     *
     * @param value a fixed attribution magnitude, or null for Captum's per-map normalisation
     * @return this
     */
    public B scale(Double value) {
        scale = value;
        return self();
    }
}
