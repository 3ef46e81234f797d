package io.github.captum4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;
import io.github.captum4j.metrics.summary.ClassSummarizer;
import io.github.captum4j.metrics.summary.Stat;
import io.github.captum4j.metrics.summary.Summarizer;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A local[2] Spark job over 10,000 rows of the tabular_mlp fixture: its attributions equal those of
 * the same rows attributed in this process, and its merged summaries the one-pass summary.
 */
class DatasetExplainerTest {
    static final int ROWS = 10_000;
    static final int FEATURES = 10;
    static final int PARTITIONS = 4;
    static final int BATCH = 500;

    static SparkSession spark;
    static Dataset<Row> data;
    static float[][] x;
    static int[] labels;

    @BeforeAll
    static void start() {
        spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("captum4j-test")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.shuffle.partitions", "2")
                        .getOrCreate();
        SplittableRandom random = new SplittableRandom(18);
        x = new float[ROWS][FEATURES];
        labels = new int[ROWS];
        List<Row> rows = new ArrayList<>(ROWS);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < FEATURES; j++) {
                x[r][j] = (float) random.nextGaussian();
            }
            labels[r] = random.nextInt(3);
            rows.add(RowFactory.create((long) r, x[r], labels[r]));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, false)
                        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                        .add("label", DataTypes.IntegerType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // parallelize slices the list in order: partition p holds rows [p*2500, (p+1)*2500)
        data = spark.createDataFrame(jsc.parallelize(rows, PARTITIONS), schema);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static DatasetExplainer explainer(Explainer method) {
        return new DatasetExplainer(
                DatasetExplainer.Options.builder()
                        .model(ModelSource.of(TestModels.model("tabular_mlp.pt").toString()))
                        .explainer(method)
                        .featureColumns("features")
                        .targetColumn("label")
                        .batchSize(BATCH)
                        .seed(7)
                        .build());
    }

    /** The same rows, the same batches and seeds, attributed in this process. */
    static float[][] inProcess(Explainer method, int seed) {
        ForwardFunction model = ModelSource.of(TestModels.model("tabular_mlp.pt").toString()).load();
        float[][] out = new float[ROWS][];
        int perPartition = ROWS / PARTITIONS;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int b = 0; b * BATCH < perPartition; b++) {
                    int first = p * perPartition + b * BATCH;
                    float[][] batch = java.util.Arrays.copyOfRange(x, first, first + BATCH);
                    int[] t = java.util.Arrays.copyOfRange(labels, first, first + BATCH);
                    try (NDManager m = manager.newSubManager();
                            Attribution a =
                                    method.explain(
                                            model,
                                            Inputs.of(m.create(batch)),
                                            Target.perExample(t),
                                            DatasetExplainer.batchSeed(seed, p, b))) {
                        float[] flat = a.attribution(0).toFloatArray();
                        for (int r = 0; r < BATCH; r++) {
                            out[first + r] =
                                    java.util.Arrays.copyOfRange(flat, r * FEATURES, (r + 1) * FEATURES);
                        }
                    }
                }
            }
        }
        return out;
    }

    static float[][] collect(Dataset<Row> explained) {
        float[][] out = new float[ROWS][];
        for (Row row : explained.select("id", "attributions").collectAsList()) {
            out[(int) row.getLong(0)] = RowLayout.floats(row, 1);
        }
        return out;
    }

    @Test
    void integratedGradientsOnLocal2EqualsInProcessBitForBitAndSummariesMerge() {
        Explainer ig = Explainer.named("IntegratedGradients");
        ExplainedDataset explained = explainer(ig).explain(data);
        Dataset<Row> rows = explained.rows().cache();
        float[][] spark = collect(rows);
        float[][] local = inProcess(ig, 7);
        for (int r = 0; r < ROWS; r++) {
            assertThat(spark[r]).as("row %d", r).containsExactly(local[r]);
        }
        assertThat(explained.rowsDone().value()).isEqualTo(ROWS);

        // global summaries: per-partition summaries merged on the driver = one pass over all rows
        ClassSummarizer<Object> merged =
                DatasetExplainer.summarizeByClass(rows, "attributions", "label", Stat.commonStats());
        ClassSummarizer<Object> onePass = new ClassSummarizer<>(Stat.commonStats());
        for (int r = 0; r < ROWS; r++) {
            onePass.updateRow(labels[r], local[r]);
        }
        assertClose(merged.summary(0).toMap(), onePass.summary(0).toMap());
        assertThat(merged.classSummaries()).hasSize(3);
        for (int label = 0; label < 3; label++) {
            assertClose(
                    merged.classSummaries().get(label).get(0).toMap(),
                    onePass.classSummaries().get(label).get(0).toMap());
        }
        Summarizer total = DatasetExplainer.summarize(rows, "attributions", List.of(new Stat.Count()));
        assertThat(total.summary(0).count()).isEqualTo(ROWS);
        rows.unpersist();
    }

    @Test
    void kernelShapSeededPerBatchIsReproducibleAndEqualsInProcess() {
        Explainer shap = Explainer.named("KernelShap");
        float[][] spark = collect(explainer(shap).explain(data).rows());
        float[][] local = inProcess(shap, 7);
        for (int r = 0; r < ROWS; r++) {
            assertThat(spark[r]).as("row %d", r).containsExactly(local[r]);
        }
    }

    @Test
    void severalNumericColumnsAreOneFeatureEach() {
        Dataset<Row> wide = data.limit(200);
        for (int j = 0; j < FEATURES; j++) {
            wide = wide.withColumn("f" + j, wide.col("features").getItem(j));
        }
        String[] cols = new String[FEATURES];
        for (int j = 0; j < FEATURES; j++) {
            cols[j] = "f" + j;
        }
        DatasetExplainer byColumns =
                new DatasetExplainer(
                        DatasetExplainer.Options.builder()
                                        .model(ModelSource.of(TestModels.model("tabular_mlp.pt").toString()))
                                        .explainer(Explainer.named("Saliency"))
                                        .featureColumns(cols)
                                        .targetIndex(1)
                                        .batchSize(64)
                                        .build());
        DatasetExplainer byArray =
                new DatasetExplainer(
                        DatasetExplainer.Options.builder()
                                .model(ModelSource.of(TestModels.model("tabular_mlp.pt").toString()))
                                .explainer(Explainer.named("Saliency"))
                                .featureColumns("features")
                                .targetIndex(1)
                                .batchSize(64)
                                .build());
        List<Row> a = byColumns.explain(wide).rows().select("id", "attributions").orderBy("id").collectAsList();
        List<Row> b = byArray.explain(wide).rows().select("id", "attributions").orderBy("id").collectAsList();
        assertThat(a).hasSize(200);
        for (int r = 0; r < a.size(); r++) {
            assertThat(RowLayout.floats(a.get(r), 1)).containsExactly(RowLayout.floats(b.get(r), 1));
        }
    }

    @Test
    void badColumnsAreRejectedNamingTheArgument() {
        assertThatThrownBy(
                        () ->
                                new DatasetExplainer(
                                                DatasetExplainer.Options.builder()
                                                        .model(ModelSource.of("m.pt"))
                                                        .explainer(Explainer.named("Saliency"))
                                                        .featureColumns("nope")
                                                        .build())
                                        .explain(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("featureColumns")
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> Explainer.named("Magic")).hasMessageContaining("KernelShap");
    }

    static void assertClose(Map<String, double[]> actual, Map<String, double[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String k : expected.keySet()) {
            double[] e = expected.get(k);
            double[] a = actual.get(k);
            for (int j = 0; j < e.length; j++) {
                assertThat(a[j]).as(k).isCloseTo(e[j], within(1e-6 * Math.max(Math.abs(e[j]), 1e-12)));
            }
        }
    }
}
