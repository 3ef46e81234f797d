/**
 * Global plots of attributions over a data set (API): {@link
 * io.github.captum4j.viz.global.GlobalPlots#meanAbsBarChart} (mean |attribution| per feature) and
 * {@link io.github.captum4j.viz.global.GlobalPlots#beeswarm} (SHAP-style, one dot per row coloured by
 * the feature's value), rendered as {@link io.github.captum4j.viz.global.Plot}: PNG, SVG or HTML.
 */
package io.github.captum4j.viz.global;
