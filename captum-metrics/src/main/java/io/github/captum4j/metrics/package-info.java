/**
 * Attribution quality metrics: {@code infidelity}, {@code sensitivityMax} and localisation
 * scores. Empty in this release: the module exists so that the artifact layout is stable; the
 * metrics land with the metrics issue.
 */
package io.github.captum4j.metrics;
