/**
 * Attribution jobs on Apache Spark (API): {@link io.github.captum4j.spark.DatasetExplainer} explains
 * a Dataset column with any captum4j method ({@link io.github.captum4j.spark.Explainer}), the model
 * ({@link io.github.captum4j.spark.ModelSource}) loaded once per executor, rows batched into
 * attribute calls, attributions written back as {@code array<float>} columns, summaries reduced
 * across partitions; {@link io.github.captum4j.spark.JobProgress} reports rows done and rows per
 * second; {@link io.github.captum4j.spark.ExplainDatasetCli} is the {@code explain-dataset} command.
 * Spark is a provided dependency (3.5, Scala 2.12).
 */
@io.github.captum4j.core.internal.OptionsStyle
package io.github.captum4j.spark;
