package io.github.captum4j.spark;

import io.github.captum4j.metrics.summary.ClassSummarizer;
import io.github.captum4j.metrics.summary.Stat;
import io.github.captum4j.metrics.summary.Summarizer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.immutables.value.Value;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Explains a Spark {@link Dataset}: each row's features (one {@code array<float|double>} column, or
 * several numeric columns) are attributed by any captum4j method ({@link Explainer}) and the
 * attributions are written back as an {@code array<float>} column; global summaries ({@link
 * Summarizer}, per label {@link ClassSummarizer}) are reduced across partitions.
 *
 * <p>Each partition runs {@code mapPartitions}: the executor's model is loaded once per JVM ({@link
 * ModelSource#load}) and reused by every task; rows are grouped into attribute calls of {@code
 * batchSize} rows; batch {@code b} of partition {@code p} gets the seed {@link #batchSeed(int, int,
 * long)}, so stochastic methods are reproducible for a given partitioning. The job is lazy: it runs
 * when the returned dataset is written or collected, counting rows into {@link
 * ExplainedDataset#rowsDone()} (see {@link JobProgress}).
 *
 * <pre>{@code
 * DatasetExplainer explainer = new DatasetExplainer(DatasetExplainer.Options.builder()
 *         .model(ModelSource.of("tabular_mlp.pt"))
 *         .explainer(Explainer.named("IntegratedGradients"))
 *         .featureColumns("features").targetColumn("label").batchSize(256).build());
 * ExplainedDataset explained = explainer.explain(df);
 * explained.rows().write().parquet("out.parquet");
 * Summarizer summary = DatasetExplainer.summarize(spark.read().parquet("out.parquet"),
 *         "attributions", Stat.commonStats());
 * }</pre>
 */
@Value.Enclosing
public final class DatasetExplainer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Options options;

    /**
     * An explainer running with these options.
     *
     * @param options the model, method, columns and batch size
     */
    public DatasetExplainer(Options options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required, got null");
        }
        this.options = options;
    }

    /**
     * How a job runs.
     *
     * @param model where executors load the model
     * @param explainer the attribution method
     * @param featureColumns one array column, or several numeric columns (one feature each)
     * @param targetColumn an integer column holding each row's target class, or {@code null}
     * @param targetIndex the target class of every row when {@code targetColumn} is null; {@code
     *     null} for a model with one output per row
     * @param batchSize rows per attribute call, {@code >= 1} (default 256)
     * @param outputColumn the attributions' column (default "attributions")
     * @param seed the job's seed, mixed into each batch's seed (default 0)
     */
    @Value.Builder
    public record Options(
            ModelSource model,
            Explainer explainer,
            List<String> featureColumns,
            String targetColumn,
            Integer targetIndex,
            int batchSize,
            String outputColumn,
            int seed)
            implements Serializable {

        /**
         * Validates every component.
         *
         * @param model where executors load the model
         * @param explainer the attribution method
         * @param featureColumns one array column, or several numeric columns (one feature each)
         * @param targetColumn an integer column holding each row's target class, or {@code null}
         * @param targetIndex the target class of every row when {@code targetColumn} is null;
         *     {@code null} for a model with one output per row
         * @param batchSize rows per attribute call, {@code >= 1} (default 256)
         * @param outputColumn the attributions' column (default "attributions")
         * @param seed the job's seed, mixed into each batch's seed (default 0)
         */
        public Options {
            if (model == null || explainer == null) {
                throw new IllegalArgumentException(
                        "model and explainer are required, got " + model + ", " + explainer);
            }
            if (featureColumns == null || featureColumns.isEmpty()) {
                throw new IllegalArgumentException(
                        "featureColumns must name at least one column, got " + featureColumns);
            }
            featureColumns = List.copyOf(featureColumns);
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            }
            if (outputColumn == null || outputColumn.isBlank()) {
                throw new IllegalArgumentException(
                        "outputColumn must be a column name, got '" + outputColumn + "'");
            }
        }

        /**
         * A builder with the defaults (batch 256, column "attributions", seed 0).
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().batchSize(256).outputColumn("attributions");
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (the default, or the copied options); {@code build()} validates.
         * Generated at compile time (Immutables).
         */
        public static final class Builder extends DatasetExplainerBuilders.OptionsBuilder {
            Builder() {}

            /**
             * Sets the feature columns.
             *
             * @param value one array column or several numeric columns
             * @return this
             */
            public Builder featureColumns(String... value) {
                return featureColumns(Arrays.asList(value));
            }
        }
    }

    /**
     * The options.
     *
     * @return the options
     */
    public Options options() {
        return options;
    }

    /**
     * Adds the attribution column to a dataset (lazily: the job runs with the first action on the
     * result).
     *
     * @param data the rows; their partitioning decides the batches
     * @return the dataset with the attribution column, and its row counter
     */
    public ExplainedDataset explain(Dataset<Row> data) {
        RowLayout layout = RowLayout.of(data.schema(), options);
        StructType out =
                data.schema()
                        .add(
                                options.outputColumn(),
                                DataTypes.createArrayType(DataTypes.FloatType, false),
                                false);
        LongAccumulator rows = data.sparkSession().sparkContext().longAccumulator("captum4j rows");
        Options o = options;
        JavaRDD<Row> explained =
                data.javaRDD()
                        .mapPartitionsWithIndex(
                                (partition, it) ->
                                        new BatchIterator(o, layout, partition, it, rows), true);
        return new ExplainedDataset(data.sparkSession().createDataFrame(explained, out), rows);
    }

    /**
     * The seed of batch {@code batch} of partition {@code partition} (a SplitMix64 mix of the three).
     *
     * @param seed the job's seed
     * @param partition the partition index
     * @param batch the batch's index in its partition
     * @return the batch's seed, non-negative
     */
    public static int batchSeed(int seed, int partition, long batch) {
        long z = seed * 0x9E3779B97F4A7C15L + partition * 0xBF58476D1CE4E5B9L + batch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7FFFFFFF);
    }

    /**
     * The summary of an array column over all rows (each row one observation), computed per
     * partition and merged ({@link Summarizer#merge}).
     *
     * @param data the rows
     * @param column an {@code array<float|double>} column, e.g. the attributions
     * @param stats the statistics
     * @return the summary of input 0 = the column
     */
    public static Summarizer summarize(Dataset<Row> data, String column, List<Stat> stats) {
        return summarizeByClass(data, column, null, stats);
    }

    /**
     * The summary of an array column per label and in total, computed per partition and merged.
     *
     * @param data the rows
     * @param column an {@code array<float|double>} column, e.g. the attributions
     * @param labelColumn the label column ({@code null}: one label for all rows)
     * @param stats the statistics
     * @return the class summarizer (labels as they appear in the column)
     */
    public static ClassSummarizer<Object> summarizeByClass(
            Dataset<Row> data, String column, String labelColumn, List<Stat> stats) {
        int index = data.schema().fieldIndex(column);
        int label = labelColumn == null ? -1 : data.schema().fieldIndex(labelColumn);
        List<Stat> copy = List.copyOf(stats);
        return data.javaRDD()
                .mapPartitions(
                        (Iterator<Row> it) -> {
                            ClassSummarizer<Object> s = new ClassSummarizer<>(copy);
                            while (it.hasNext()) {
                                Row row = it.next();
                                s.updateRow(label < 0 ? "all" : row.get(label), RowLayout.floats(row, index));
                            }
                            return Collections.singletonList(s).iterator();
                        })
                .fold(new ClassSummarizer<>(copy), (a, b) -> a.merge(b));
    }

    static void checkNumeric(StructField field) {
        DataType t = field.dataType();
        boolean ok =
                t instanceof NumericType
                        || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
        if (!ok) {
            throw new IllegalArgumentException(
                    "column '" + field.name() + "' must be numeric or an array of numbers, got " + t.simpleString());
        }
    }
}
