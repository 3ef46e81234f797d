package io.github.captum4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * A dataset with its attribution column, not yet computed, and the counter of rows explained so
 * far (updated as tasks finish; {@link JobProgress} reports it).
 *
 * @param rows the input rows with the attribution column appended
 * @param rowsDone rows explained by finished tasks
 */
public record ExplainedDataset(Dataset<Row> rows, LongAccumulator rowsDone) {}
