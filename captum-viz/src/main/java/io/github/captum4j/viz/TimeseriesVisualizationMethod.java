package io.github.captum4j.viz;

/** How {@link TimeseriesVisualization} draws attributions over a time series (Captum's names). */
public enum TimeseriesVisualizationMethod {
    /**
     * One panel per channel, stacked without gaps; each channel's line over its attributions drawn
     * as coloured vertical bands (one per time step, {@code alphaOverlay} opacity).
     */
    OVERLAY_INDIVIDUAL,
    /**
     * One panel with every channel's line (matplotlib's {@code Dark2} colours, a legend of the
     * channel labels) over the attributions summed over channels, as bands.
     */
    OVERLAY_COMBINED,
    /**
     * One panel per channel; each line segment coloured by the attribution at its start, the
     * y-range fixed to {@code 1.2 x} the channel's minimum and maximum as Captum sets it.
     */
    COLORED_GRAPH
}
