package io.github.captum4j.viz;

import io.github.captum4j.attr.OptionsBuilder;

/**
 * The setters the builders of {@link ImageVisualization.Options} and {@link
 * TimeseriesVisualization.Options} share: how attributions are normalised and coloured, and the
 * figure around them. Each sets the component of its name; {@link #build()} validates through the
 * record's constructor ({@link OptionsBuilder}). Not API (its public setters are part of the two
 * builders).
 *
 * @param <B> the builder
 * @param <O> the options record
 */
abstract class FigureOptionsBuilder<
                B extends FigureOptionsBuilder<B, O>, O extends Record & FigureOptions>
        extends OptionsBuilder<B, O> {

    FigureOptionsBuilder(O from) {
        super(from);
    }

    /**
     * Sets {@code sign}.
     *
     * @param value which attributions
     * @return this
     */
    public B sign(VisualizeSign value) {
        return set("sign", value);
    }

    /**
     * Sets {@code outlierPerc}.
     *
     * @param value the percentage
     * @return this
     */
    public B outlierPerc(double value) {
        return set("outlierPerc", value);
    }

    /**
     * Sets {@code cmap}.
     *
     * @param value the colormap, or null for the sign's default
     * @return this
     */
    public B cmap(Colormap value) {
        return set("cmap", value);
    }

    /**
     * Sets {@code alphaOverlay}.
     *
     * @param value the opacity
     * @return this
     */
    public B alphaOverlay(double value) {
        return set("alphaOverlay", value);
    }

    /**
     * Sets {@code showColorbar}.
     *
     * @param value whether to draw a colour bar
     * @return this
     */
    public B showColorbar(boolean value) {
        return set("showColorbar", value);
    }

    /**
     * Sets {@code title}.
     *
     * @param value the title, or null
     * @return this
     */
    public B title(String value) {
        return set("title", value);
    }

    /**
     * Sets {@code figSize}.
     *
     * @param width inches
     * @param height inches
     * @return this
     */
    public B figSize(double width, double height) {
        return set("figSize", new ImageVisualization.FigSize(width, height));
    }

    /**
     * Sets {@code dpi}.
     *
     * @param value pixels per inch
     * @return this
     */
    public B dpi(int value) {
        return set("dpi", value);
    }

    /**
     * Sets {@code scale}.
     *
     * @param value a fixed attribution magnitude, or null for Captum's per-map normalisation
     * @return this
     */
    public B scale(Double value) {
        return set("scale", value);
    }
}
