/**
 * Attribution-quality metrics (API): Captum's {@link io.github.captum4j.metrics.Metrics#infidelity}
 * and {@link io.github.captum4j.metrics.Metrics#sensitivityMax} with their perturbation functions,
 * localisation scores against a ground-truth mask ({@link
 * io.github.captum4j.metrics.Localisation}: pointing game, relevance mass, relevance rank
 * accuracy) and map similarity for the model-randomisation sanity check ({@link
 * io.github.captum4j.metrics.Similarity}: Spearman rank correlation, SSIM).
 */
package io.github.captum4j.metrics;
