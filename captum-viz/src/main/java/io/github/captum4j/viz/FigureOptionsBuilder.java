package io.github.captum4j.viz;

/**
 * The {@code figSize} setter from width and height, for the generated builders of {@link
 * ImageVisualization.Options} and {@link TimeseriesVisualization.Options} (their other setters are
 * generated, one per component). Not API (its public setter is part of the two builders).
 *
 * @param <B> the builder
 */
interface FigureOptionsBuilder<B> {

    /**
     * Sets {@code figSize} (implemented by the generated builder).
     *
     * @param figSize width and height in inches
     * @return this
     */
    B figSize(ImageVisualization.FigSize figSize);

    /**
     * Sets {@code figSize}.
     *
     * @param width inches
     * @param height inches
     * @return this
     */
    default B figSize(double width, double height) {
        return figSize(new ImageVisualization.FigSize(width, height));
    }
}
