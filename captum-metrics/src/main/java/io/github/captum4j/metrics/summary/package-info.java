/**
 * Summaries of attributions over a data set (API): Captum's {@link
 * io.github.captum4j.metrics.summary.Summarizer} and {@link
 * io.github.captum4j.metrics.summary.ClassSummarizer} with the statistics of {@link
 * io.github.captum4j.metrics.summary.Stat} (mean, variance, standard deviation, min, max, sum, count,
 * MSE), computed in one streaming pass and mergeable across partitions of a distributed job.
 */
package io.github.captum4j.metrics.summary;
