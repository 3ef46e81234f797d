package io.github.captum4j.spark;

import io.github.captum4j.metrics.summary.ClassSummarizer;
import io.github.captum4j.metrics.summary.Stat;
import io.github.captum4j.metrics.summary.Summary;
import io.github.captum4j.viz.global.GlobalPlots;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code captum4j-spark.jar} command line: {@code explain-dataset} (CSV or Parquet in, Parquet
 * out with an {@code attributions} column, a summary table and global plots) on an embedded local
 * Spark, or on a cluster with {@code --master}; {@code bench} ({@link SparkBench}).
 *
 * <pre>{@code
 * java -jar captum-spark/target/captum4j-spark.jar explain-dataset --input rows.csv \
 *     --model model.pt --target-column label --method IntegratedGradients --output out.parquet
 * }</pre>
 */
public final class ExplainDatasetCli {

    static final String USAGE =
            String.join(
                    "\n",
                    "usage: java -jar captum4j-spark.jar explain-dataset --input FILE(.csv|.parquet)"
                            + " --model MODEL(.pt|.json) --output OUT.parquet [options]",
                    "       java -jar captum4j-spark.jar bench [--rows N] [--batch-size B]",
                    "options of explain-dataset:",
                    "  --method NAME          " + String.join(", ", Explainer.NAMES)
                            + " (default IntegratedGradients)",
                    "  --features C[,C...]    one array column or several numeric columns"
                            + " (default: every numeric column but the target)",
                    "  --target-column C      integer column with each row's target class",
                    "  --target N             one target class for every row",
                    "  --batch-size B         rows per attribute call (default 256)",
                    "  --seed S               seed of stochastic methods (default 0)",
                    "  --master URL           Spark master (default local[*], embedded)",
                    "  --partitions N         repartition the input into N partitions",
                    "  --report DIR           summary.md / summary.csv / plots (default OUT.report)",
                    "  --plot-rows N          rows drawn in the beeswarm (default 2000)");

    private ExplainDatasetCli() {}

    /**
     * Runs a subcommand.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            switch (args[0]) {
                case "explain-dataset":
                    run(parse(args), System.out);
                    break;
                case "bench":
                    SparkBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
                    break;
                default:
                    throw new IllegalArgumentException("unknown subcommand '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        for (String required : List.of("input", "model", "output")) {
            if (!o.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return o;
    }

    /**
     * Runs {@code explain-dataset}.
     *
     * @param o the options by name (without "--")
     * @param out where the summary table goes
     * @return the report folder
     */
    static Path run(Map<String, String> o, PrintStream out) {
        String master = o.getOrDefault("master", "local[*]");
        SparkSession.Builder builder =
                SparkSession.builder().appName("captum4j explain-dataset").master(master);
        if (master.startsWith("local")) {
            builder.config("spark.ui.enabled", "false");
        } else {
            builder.config("spark.jars", String.join(",", Cluster.jars()));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            return explain(spark, o, out);
        } finally {
            spark.stop();
        }
    }

    private static Path explain(SparkSession spark, Map<String, String> o, PrintStream out) {
        String input = o.get("input");
        Dataset<Row> data =
                input.toLowerCase(Locale.ROOT).endsWith(".csv")
                        ? spark.read().option("header", "true").option("inferSchema", "true").csv(input)
                        : spark.read().parquet(input);
        int parallelism = spark.sparkContext().defaultParallelism();
        if (o.containsKey("partitions")) {
            data = data.repartition(Integer.parseInt(o.get("partitions")));
        } else if (data.rdd().getNumPartitions() < parallelism) {
            data = data.repartition(parallelism); // a small file is one partition: use every core
        }
        String target = o.get("target-column");
        List<String> features = features(data, o.get("features"), target);
        DatasetExplainer explainer =
                new DatasetExplainer(
                        DatasetExplainer.Options.builder()
                                .model(ModelSource.of(Path.of(o.get("model")).toAbsolutePath().toString()))
                                .explainer(Explainer.named(o.getOrDefault("method", "IntegratedGradients")))
                                .featureColumns(features.toArray(new String[0]))
                                .targetColumn(target)
                                .targetIndex(o.containsKey("target") ? Integer.valueOf(o.get("target")) : null)
                                .batchSize(Integer.parseInt(o.getOrDefault("batch-size", "256")))
                                .seed(Integer.parseInt(o.getOrDefault("seed", "0")))
                                .build());
        ExplainedDataset explained = explainer.explain(data);
        String output = o.get("output");
        try (JobProgress p =
                JobProgress.watch(
                        spark.sparkContext(), explained.rowsDone(), -1, Duration.ofSeconds(5), System.err)) {
            explained.rows().write().mode("overwrite").parquet(output);
        }
        Dataset<Row> written = spark.read().parquet(output);
        Path report = Path.of(o.getOrDefault("report", output + ".report"));
        writeReport(written, features, target, report, Integer.parseInt(o.getOrDefault("plot-rows", "2000")), out);
        return report;
    }

    static List<String> features(Dataset<Row> data, String given, String target) {
        if (given != null) {
            return List.of(given.split(","));
        }
        List<String> numeric = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
            if (f.dataType() instanceof ArrayType) {
                return List.of(f.name());
            }
            if (!f.name().equals(target) && f.dataType() instanceof NumericType) {
                numeric.add(f.name());
            }
        }
        if (numeric.isEmpty()) {
            throw new IllegalArgumentException(
                    "no numeric column to explain in " + data.schema().simpleString());
        }
        return numeric;
    }

    private static void writeReport(
            Dataset<Row> written, List<String> features, String target, Path report, int plotRows, PrintStream out) {
        Dataset<Row> withAbs =
                written.withColumn("abs_attributions", functions.expr("transform(attributions, a -> abs(a))"));
        List<Stat> stats = List.of(new Stat.Mean(), new Stat.StdDev(1), new Stat.Min(), new Stat.Max());
        ClassSummarizer<Object> signed = DatasetExplainer.summarizeByClass(withAbs, "attributions", target, stats);
        ClassSummarizer<Object> abs = DatasetExplainer.summarizeByClass(withAbs, "abs_attributions", null, List.of(new Stat.Mean()));
        Summary s = signed.summary(0);
        double[] meanAbs = abs.summary(0).get(new Stat.Mean());
        List<String> names = names(written, features, meanAbs.length);
        StringBuilder md = new StringBuilder("| feature | mean(|attr|) | mean | sample std | min | max |\n|---|---|---|---|---|---|\n");
        StringBuilder csv = new StringBuilder("feature,mean_abs,mean,sample_std_dev,min,max\n");
        double[] mean = s.get(new Stat.Mean());
        double[] std = s.get(new Stat.StdDev(1));
        double[] min = s.get(new Stat.Min());
        double[] max = s.get(new Stat.Max());
        for (int f : order(meanAbs)) {
            md.append(String.format(Locale.ROOT, "| %s | %.6g | %.6g | %.6g | %.6g | %.6g |%n", names.get(f), meanAbs[f], mean[f], std[f], min[f], max[f]));
            csv.append(String.format(Locale.ROOT, "%s,%.9g,%.9g,%.9g,%.9g,%.9g%n", names.get(f), meanAbs[f], mean[f], std[f], min[f], max[f]));
        }
        md.append(String.format(Locale.ROOT, "%n%,d rows", s.count()));
        if (target != null) {
            md.append("; mean attribution per ").append(target).append(":\n\n");
            signed.classSummaries().forEach((label, list) -> md.append("- ").append(label).append(" (")
                    .append(list.get(0).count()).append(" rows): ")
                    .append(java.util.Arrays.toString(round(list.get(0).get(new Stat.Mean())))).append('\n'));
        }
        md.append('\n');
        out.print(md);
        try {
            Files.createDirectories(report);
            Files.writeString(report.resolve("summary.md"), md, StandardCharsets.UTF_8);
            Files.writeString(report.resolve("summary.csv"), csv, StandardCharsets.UTF_8);
            var bars = GlobalPlots.meanAbsBarChart(names, meanAbs, 30);
            bars.writePng(report.resolve("importance.png"));
            bars.writeSvg(report.resolve("importance.svg"));
            List<Row> sample = written.limit(plotRows).collectAsList();
            float[][] attr = new float[sample.size()][];
            float[][] values = new float[sample.size()][];
            RowLayout layout = RowLayout.of(written.schema(), features, null);
            int column = written.schema().fieldIndex("attributions");
            for (int r = 0; r < attr.length; r++) {
                attr[r] = RowLayout.floats(sample.get(r), column);
                values[r] = layout.features(sample.get(r));
            }
            if (attr.length > 0) {
                var swarm = GlobalPlots.beeswarm(names, attr, values, 30);
                swarm.writePng(report.resolve("beeswarm.png"));
                swarm.writeSvg(report.resolve("beeswarm.svg"));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the report to " + report, e);
        }
        out.println("report: " + report.toAbsolutePath());
    }

    private static List<String> names(Dataset<Row> data, List<String> features, int n) {
        if (features.size() == n) {
            return features;
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(features.get(0) + "[" + i + "]");
        }
        return names;
    }

    private static int[] order(double[] meanAbs) {
        return java.util.stream.IntStream.range(0, meanAbs.length).boxed()
                .sorted((a, b) -> Double.compare(meanAbs[b], meanAbs[a]))
                .mapToInt(Integer::intValue).toArray();
    }

    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1e4) / 1e4;
        }
        return r;
    }

    /** The jars executors of a cluster need: this jar and its non-Spark dependencies. */
    static final class Cluster {
        private Cluster() {}

        static List<String> jars() {
            List<String> jars = new ArrayList<>();
            try {
                Path self = Path.of(ExplainDatasetCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                jars.add(self.toString());
                try (InputStream in = ExplainDatasetCli.class.getResourceAsStream("/captum4j-spark-runtime.txt")) {
                    if (in != null) {
                        for (String entry : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("[:;]")) {
                            if (!entry.isBlank()) {
                                jars.add(self.resolveSibling(entry.trim()).toString());
                            }
                        }
                    }
                }
            } catch (IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException("cannot list the jars to ship to the cluster", e);
            }
            return jars;
        }
    }
}
