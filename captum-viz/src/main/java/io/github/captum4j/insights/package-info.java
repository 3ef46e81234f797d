/**
 * Captum Insights for the JVM (API): {@link io.github.captum4j.insights.AttributionVisualizer}
 * explains a dataset's predictions — top-k scores, filters by class and by correct / incorrect
 * prediction, attributions of image, text and general {@link io.github.captum4j.insights.Feature}s
 * with a method chosen from a {@link io.github.captum4j.insights.MethodRegistry} — and {@link
 * io.github.captum4j.insights.InsightsServer} serves it as a local web page (127.0.0.1 by default)
 * with bounded connections, a bounded work queue and a work budget per request.
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.insights;
