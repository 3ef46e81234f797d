/**
 * Visualisation of attributions: image heat maps, text HTML and the Insights web app. Empty in
 * this release: the module exists so that the artifact layout is stable; visualisation lands with
 * the visualisation issue.
 */
package io.github.captum4j.viz;
