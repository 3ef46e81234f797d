package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code bench} subcommand: attribution time against the raw batched forward + backward of the
 * same evaluations, measured alternately in one run (repetitions after a warm-up of at least
 * {@code --warmup} runs that lasts until the process's memory stopped growing, {@link WarmUp}), so that the
 * ratio does not depend on how busy the machine is. Each repetition times the attribution and then
 * its raw counterpart; the ratio reported is the median of these paired ratios (with their
 * quartiles), which cancels the slow drifts of a shared machine; the times are medians. The raw
 * counterparts use plain DJL only ({@link GradientBenchCases}, {@link PerturbationBenchCases}).
 * The model rows ({@link ForwardBenchCases}) time the graph executor's forward against
 * TorchScript's and ResNet-50's import against reading its weights file, in the same columns.
 *
 * <p>Usage: {@code bench [--fixtures DIR] [--repeats N] [--warmup N] [--seconds S] [--filter
 * REGEX]}; the LLM rows ({@link LlmBench}) follow in their own table when REGEX matches {@code
 * llm}.
 */
public final class Bench {

    private static final int MAX_REPEATS = 1000;

    /** Longest warm-up of one row ({@link WarmUp}: until the process's memory stopped growing). */
    private static final double MAX_WARMUP_SECONDS = 20;

    private static final Set<String> FLAGS =
            Set.of("--fixtures", "--repeats", "--warmup", "--seconds", "--filter");

    private static final String USAGE =
            "usage: bench [--fixtures DIR] [--repeats N] [--warmup N] [--seconds S] [--filter"
                    + " REGEX]";

    /**
     * How long each row is measured.
     *
     * @param repeats at least this many alternating runs
     * @param warmup warm-up runs of both sides first
     * @param seconds at least this long of measurement
     */
    private record Settings(int repeats, int warmup, double seconds) {}

    private final Settings settings;

    private Bench(Settings settings) {
        this.settings = settings;
    }

    /**
     * Entry point of the subcommand.
     *
     * @param args command-line arguments after {@code bench}
     * @throws IOException if a model cannot be read
     */
    public static void main(String[] args) throws IOException {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args command-line arguments after {@code bench}
     * @return exit status
     * @throws IOException if a model cannot be read
     */
    public static int run(String[] args) throws IOException {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!FLAGS.contains(args[i]) || i + 1 == args.length) {
                System.err.println("unknown bench argument: " + args[i]);
                System.err.println(USAGE);
                return 2;
            }
            flags.put(args[i], args[i + 1]);
        }
        Path fixtures = Path.of(flags.getOrDefault("--fixtures", "src-test-resources"));
        int repeats = Integer.parseInt(flags.getOrDefault("--repeats", "7"));
        int warmup = Integer.parseInt(flags.getOrDefault("--warmup", "2"));
        double seconds = Double.parseDouble(flags.getOrDefault("--seconds", "2"));
        Pattern filter = Pattern.compile(flags.getOrDefault("--filter", ".*"));
        Bench bench = new Bench(new Settings(repeats, warmup, seconds));
        Path models = fixtures.resolve("models");
        System.out.printf(
                Locale.ROOT,
                "# captum4j bench: >= %d alternating runs (>= %.1f s per case) after >= %d warm-up"
                        + " (until memory settles);"
                        + " times are medians, ratio is the median of paired ratios [quartiles];"
                        + " %s, intra-op threads %s%n",
                repeats,
                seconds,
                warmup,
                System.getProperty("os.arch"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        System.out.printf(
                Locale.ROOT,
                "%-58s %12s %12s %7s %13s%n",
                "case",
                "attr s",
                "raw s",
                "ratio",
                "[p25, p75]");
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel cnn = ImportedModel.load(models.resolve("small_cnn.json"), manager);
                TorchScriptModel cnnTs = TorchScriptModel.load(models.resolve("small_cnn.pt"));
                ImportedModel tiny =
                        ImportedModel.load(models.resolve("tiny_resnet.json"), manager);
                TorchScriptModel tinyTs = TorchScriptModel.load(models.resolve("tiny_resnet.pt"));
                ImportedModel resnet18 =
                        ImportedModel.load(models.resolve("torchvision_resnet18.json"), manager, 0);
                ImportedModel tabular =
                        ImportedModel.load(models.resolve("tabular_mlp.json"), manager);
                TorchScriptModel tabularTs =
                        TorchScriptModel.load(models.resolve("tabular_mlp.pt"));
                ImportedModel text =
                        ImportedModel.load(models.resolve("tiny_text_transformer.json"), manager);
                ImportedModel mobilenet =
                        ImportedModel.load(
                                models.resolve("zoo/torchvision_mobilenet_v2.json"), manager, 0)) {
            List<BenchCase> cases =
                    new ArrayList<>(GradientBenchCases.all(cnn, cnnTs, tiny, tinyTs, resnet18));
            cases.addAll(PerturbationBenchCases.all(tiny, tinyTs, tabular, tabularTs));
            cases.addAll(
                    ManyTargetsBenchCases.all(
                            cnn.forwardFunction(), "small_cnn", new Shape(8, 1, 28, 28)));
            cases.addAll(
                    ManyTargetsBenchCases.all(
                            tiny.forwardFunction(), "tiny_resnet", new Shape(8, 3, 64, 64)));
            cases.addAll(ForwardBenchCases.deepLift(text, mobilenet));
            for (BenchCase c : cases) {
                if (filter.matcher(c.name()).find()) {
                    bench.measure(c, manager);
                }
            }
            for (ForwardBenchCases.Pair p :
                    ForwardBenchCases.pairs(
                            tiny, tinyTs, models.resolve("zoo/torchvision_resnet50.json"))) {
                if (filter.matcher(p.name()).find()) {
                    try (NDManager m = manager.newSubManager()) {
                        Runnable[] sides = p.prepare().apply(m);
                        bench.compare(p.name(), sides[0], sides[1], "");
                    }
                }
            }
        }
        if (filter.matcher("llm").find()) {
            // LLM attribution rows (their own table): run when the filter matches "llm".
            LlmBench.run(fixtures, repeats, seconds, Pattern.compile(".*"), System.out);
        }
        return 0;
    }

    private void measure(BenchCase c, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0f, 1f, c.inputShape());
            Runnable raw = c.raw().prepare(x, m);
            Runnable attribution =
                    () -> {
                        try (Attribution a = c.attribution().apply(Inputs.of(x))) {
                            a.attribution(0).toFloatArray();
                        }
                    };
            compare(
                    c.name(),
                    attribution,
                    raw,
                    c.captumSeconds() > 0
                            ? String.format(Locale.ROOT, "  Captum %.5f s", c.captumSeconds())
                            : "");
        }
    }

    /**
     * Times an attribution and its raw counterpart alternately (median of several repetitions after
     * a warm-up) and prints one row.
     */
    private void compare(String name, Runnable attribution, Runnable raw, String note) {
        double[] first = {0};
        WarmUp.Result warm =
                WarmUp.run(
                        () -> first[0] = time(attribution) + time(raw),
                        settings.warmup(),
                        0,
                        MAX_WARMUP_SECONDS);
        // Cheap cases get more repetitions: at least `seconds` of measurement.
        double wanted = Math.ceil(settings.seconds() / Math.max(first[0], 1e-4));
        int n = (int) Math.min(MAX_REPEATS, Math.max(settings.repeats(), wanted));
        double[] attr = new double[n];
        double[] base = new double[n];
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            attr[i] = time(attribution);
            base[i] = time(raw);
            ratios[i] = attr[i] / base[i];
        }
        Arrays.sort(ratios);
        System.out.printf(
                Locale.ROOT,
                "%-58s %12.5f %12.5f %7.2f [%4.2f, %4.2f]  (n=%d, warm-up %d in %.1f s%s)%s%n",
                name,
                median(attr),
                median(base),
                median(ratios),
                ratios[n / 4],
                ratios[(3 * n) / 4],
                n,
                warm.runs(),
                warm.seconds(),
                warm.settled() ? "" : ", not settled",
                note);
    }

    private static double time(Runnable body) {
        long t0 = System.nanoTime();
        body.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
