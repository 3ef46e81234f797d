/**
 * Visualisation of attributions (API), after Captum's {@code captum.attr.visualization}: {@link
 * io.github.captum4j.viz.ImageVisualization} draws image attributions as heat maps, blended heat
 * maps, masked or alpha-scaled images into a {@link io.github.captum4j.viz.Figure} (PNG, {@link
 * java.awt.image.BufferedImage}) with Captum's outlier {@link io.github.captum4j.viz.Normalization}
 * and matplotlib's {@link io.github.captum4j.viz.Colormap}s, or on one shared scale that lets
 * maps of different methods be compared; {@link io.github.captum4j.viz.TimeseriesVisualization}
 * draws time-series attributions as Captum's {@code visualize_timeseries_attr}; {@link
 * io.github.captum4j.viz.TextVisualization} renders {@link
 * io.github.captum4j.viz.VisualizationDataRecord}s as an HTML table. The Insights web app is in
 * {@code io.github.captum4j.insights}.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.viz;
