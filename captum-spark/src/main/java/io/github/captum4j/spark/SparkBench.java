package io.github.captum4j.spark;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code bench}: rows per second of the same attribution job in process, on Spark {@code local[1]}
 * and {@code local[2]}, and the ratio of the Spark job's time to the in-process attribution of the
 * same rows, measured alternately ({@code --rounds} pairs after a warm-up; medians; Spark session
 * start-up excluded and reported apart). In-process batches get the seeds of partition 0, the
 * seeds of the {@code local[1]} job (stochastic methods draw the same samples, so TorchScript sees
 * the same batch shapes).
 *
 * <pre>{@code
 * java -jar captum-spark/target/captum4j-spark.jar bench --rows 10000 --model src-test-resources/models/tabular_mlp.pt
 * }</pre>
 */
final class SparkBench {
    private SparkBench() {}

    static void main(String[] args) {
        int rows = 10_000;
        int rounds = 3;
        int batch = 256;
        String model = "src-test-resources/models/tabular_mlp.pt";
        String method = "IntegratedGradients";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--batch-size" -> batch = Integer.parseInt(args[i + 1]);
                case "--model" -> model = args[i + 1];
                case "--method" -> method = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        float[][] x = data(rows);
        ModelSource source = ModelSource.of(model);
        Explainer explainer = Explainer.named(method);
        inProcess(source.load(), explainer, Arrays.copyOf(x, Math.min(rows, 4 * batch)), batch);
        System.out.printf(
                Locale.ROOT,
                "%s, tabular MLP (10 features), %,d rows, batch %d, %d alternating rounds%n",
                method,
                rows,
                batch,
                rounds);
        for (int threads : new int[] {1, 2}) {
            long s0 = System.nanoTime();
            SparkSession spark =
                    SparkSession.builder()
                            .master("local[" + threads + "]")
                            .appName("captum4j bench")
                            .config("spark.ui.enabled", "false")
                            .getOrCreate();
            double startup = (System.nanoTime() - s0) / 1e9;
            try {
                // the input cached in memory (as a table scan would deliver it), so the job's time
                // is the explain step, not the deserialisation of a parallelized Java list
                Dataset<Row> df = frame(spark, x, threads).cache();
                df.count();
                DatasetExplainer job =
                        new DatasetExplainer(
                                DatasetExplainer.Options.builder()
                                        .model(source)
                                        .explainer(explainer)
                                        .featureColumns("features")
                                        .targetColumn("label")
                                        .batchSize(batch)
                                        .build());
                job.explain(df.limit(4 * batch)).rows().write().format("noop").mode("overwrite").save();
                double[] local = new double[rounds];
                double[] sparkTimes = new double[rounds];
                double[] ratios = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    inProcess(source.load(), explainer, x, batch);
                    local[r] = (System.nanoTime() - t0) / 1e9;
                    long j0 = System.nanoTime();
                    job.explain(df).rows().write().format("noop").mode("overwrite").save();
                    sparkTimes[r] = (System.nanoTime() - j0) / 1e9;
                    ratios[r] = sparkTimes[r] / local[r];
                }
                double in = median(local);
                double sp = median(sparkTimes);
                System.out.printf(
                        Locale.ROOT,
                        "in-process (paired with local[%d]): %.2f s, %,.0f rows/s%n",
                        threads,
                        in,
                        rows / in);
                System.out.printf(
                        Locale.ROOT,
                        "local[%d]: %.2f s, %,.0f rows/s, Spark job / in-process = %.2f"
                                + " (median of paired ratios %s; session start-up %.1f s, not"
                                + " counted)%n",
                        threads,
                        sp,
                        rows / sp,
                        median(ratios),
                        Arrays.toString(round(ratios)),
                        startup);
            } finally {
                spark.stop();
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 100) / 100.0;
        }
        return r;
    }

    static float[][] data(int rows) {
        SplittableRandom random = new SplittableRandom(42);
        float[][] x = new float[rows][10];
        for (float[] row : x) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    static Dataset<Row> frame(SparkSession spark, float[][] x, int partitions) {
        List<Row> rows = new ArrayList<>(x.length);
        for (int r = 0; r < x.length; r++) {
            rows.add(RowFactory.create(x[r], r % 3));
        }
        StructType schema =
                new StructType()
                        .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                        .add("label", DataTypes.IntegerType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
    }

    static void inProcess(ForwardFunction model, Explainer explainer, float[][] x, int batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int first = 0; first < x.length; first += batch) {
                int end = Math.min(x.length, first + batch);
                int[] targets = new int[end - first];
                for (int r = first; r < end; r++) {
                    targets[r - first] = r % 3;
                }
                try (NDManager m = manager.newSubManager();
                        Attribution a =
                                explainer.explain(
                                        model,
                                        Inputs.of(m.create(Arrays.copyOfRange(x, first, end))),
                                        Target.perExample(targets),
                                        DatasetExplainer.batchSeed(0, 0, first / batch))) {
                    a.attribution(0).toFloatArray();
                }
            }
        }
    }
}
