package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.metrics.ExplanationFunction;
import io.github.captum4j.metrics.InfidelityPerturbation;
import io.github.captum4j.metrics.Localisation;
import io.github.captum4j.metrics.Metrics;
import io.github.captum4j.metrics.SensitivityPerturbation;
import io.github.captum4j.metrics.Similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The {@code demo} subcommand: a model the project trains itself, explained by every image method
 * and judged by the metrics.
 *
 * <ol>
 *   <li>Generates the {@link ShapesTask} (class decided by one object among clutter, its box known)
 *       and trains {@link ShapesModel} with DJL's training API (seeded).
 *   <li>Imports the trained model as a Block model with PyTorch layer names.
 *   <li>Attributes a test batch (target = true class) with each method and scores it: pointing
 *       game, relevance mass and relevance rank accuracy against the object's box (on |attr| summed
 *       over channels), infidelity (normalised, Gaussian perturbations), sensitivityMax, and the
 *       model-randomisation sanity check (Spearman correlation of |attr| between the trained model
 *       and the model with every layer re-initialised; near 0 is what a faithful method shows). A
 *       random attribution gives the chance level.
 *   <li>Prints the table and writes it as CSV and Markdown to the output folder.
 * </ol>
 */
final class ShapesDemo {

    private static final int TRAIN = 3000;
    private static final int TEST = 32;
    private static final int EPOCHS = 6;
    private static final int SEED = 42;
    private static final int SENSITIVITY_EXAMPLES = 8;
    private static final String[] LAYERS_TOP_DOWN = {"fc2", "fc1", "conv2", "conv1"};

    /** A method of the demo: its name and how to build its explanation on a model. */
    private record Method(String name, Function<ForwardFunction, ExplanationFunction> build) {}

    /** One row of the report. */
    private record Row(
            String method,
            double seconds,
            double pointing,
            double mass,
            double rank,
            double infidelity,
            double sensitivity,
            double sanity) {}

    private ShapesDemo() {}

    static List<Method> methods() {
        List<Method> m = new ArrayList<>();
        m.add(new Method("Saliency", f -> new Saliency(f)::attribute));
        m.add(new Method("InputXGradient", f -> new InputXGradient(f)::attribute));
        m.add(
                new Method(
                        "IntegratedGradients",
                        f -> {
                            IntegratedGradients ig = new IntegratedGradients(f);
                            IntegratedGradients.Options o =
                                    IntegratedGradients.Options.builder().nSteps(32).build();
                            return (in, t) -> ig.attribute(in, t, o);
                        }));
        m.add(
                new Method(
                        "GradientShap",
                        f -> {
                            GradientShap gs = new GradientShap(f);
                            GradientShap.Options o =
                                    GradientShap.Options.builder()
                                            .nSamples(16)
                                            .stdevs(0.05)
                                            .seed(SEED)
                                            .build();
                            return (in, t) ->
                                    gs.attribute(
                                            in.withBaselines(
                                                    Baselines.distribution(
                                                            in.manager()
                                                                    .zeros(
                                                                            new Shape(
                                                                                    2,
                                                                                    1,
                                                                                    ShapesTask.SIZE,
                                                                                    ShapesTask
                                                                                            .SIZE)))),
                                            t,
                                            o);
                        }));
        m.add(
                new Method(
                        "NoiseTunnel(Saliency) smoothgrad",
                        f -> {
                            NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(new Saliency(f));
                            NoiseTunnel.Options o =
                                    NoiseTunnel.Options.builder()
                                            .ntSamples(16)
                                            .stdevs(0.15)
                                            .seed(SEED)
                                            .build();
                            return (in, t) -> nt.attribute(in, t, o);
                        }));
        return m;
    }

    /**
     * Runs the demo.
     *
     * @param outDir where the model, CSV and Markdown go
     * @param out the report
     * @return exit status
     * @throws IOException if a file cannot be written
     */
    static int run(Path outDir, PrintStream out) throws IOException {
        Files.createDirectories(outDir);
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            ShapesTask train = ShapesTask.generate(TRAIN, SEED, manager);
            Path json = ShapesModel.trainAndExport(train, EPOCHS, SEED, outDir);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            ShapesTask test = ShapesTask.generate(TEST, SEED + 1, manager);
            try (ImportedModel model = ImportedModel.load(json, manager);
                    ImportedModel randomised = ImportedModel.load(json, manager)) {
                randomise(randomised, SEED);
                ForwardFunction f = model.forwardFunction();
                NDArray logits = f.forward(new NDList(test.images()), List.of());
                double accuracy = accuracy(logits, test.labels());
                out.printf(
                        Locale.ROOT,
                        "captum4j demo: %s, trained %d epochs on %d images in %.1f s; test accuracy"
                            + " %.1f%% on %d images%n%n",
                        ShapesModel.ID,
                        EPOCHS,
                        TRAIN,
                        trainSeconds,
                        100 * accuracy,
                        TEST);
                Inputs in = Inputs.of(test.images());
                Target target = Target.perExample(test.labels());
                List<Row> rows = new ArrayList<>();
                for (Method m : methods()) {
                    rows.add(evaluate(m, model, randomised, in, target, test, manager));
                }
                rows.add(chance(test, manager));
                String table = markdown(rows);
                out.println(table);
                Files.writeString(outDir.resolve("demo-metrics.md"), table, StandardCharsets.UTF_8);
                Files.writeString(
                        outDir.resolve("demo-metrics.csv"), csv(rows), StandardCharsets.UTF_8);
                out.println(
                        "written: "
                                + outDir.resolve("demo-metrics.md")
                                + ", "
                                + outDir.resolve("demo-metrics.csv"));
            }
        }
        return 0;
    }

    private static Row evaluate(
            Method m,
            ImportedModel model,
            ImportedModel randomised,
            Inputs in,
            Target target,
            ShapesTask test,
            NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            ExplanationFunction explain = m.build().apply(model.forwardFunction());
            long t0 = System.nanoTime();
            NDArray attr;
            try (Attribution a = explain.explain(in, target)) {
                attr = a.attribution(0).duplicate();
                attr.attach(scope);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            NDArray map = attr.abs().sum(new int[] {1});
            double pointing = Localisation.pointingGame(map, test.masks()).mean().getFloat();
            double mass = Localisation.relevanceMass(map, test.masks()).mean().getFloat();
            double rank = Localisation.relevanceRankAccuracy(map, test.masks()).mean().getFloat();
            double infidelity =
                    Metrics.infidelity(
                                    model.forwardFunction(),
                                    InfidelityPerturbation.gaussian(0.1),
                                    in,
                                    new NDList(attr),
                                    target,
                                    Metrics.InfidelityOptions.DEFAULTS
                                            .withNPerturbSamples(8)
                                            .withNormalize(true)
                                            .withSeed(SEED))
                            .mean()
                            .getFloat();
            NDArray few = test.images().get("0:" + SENSITIVITY_EXAMPLES);
            int[] fewLabels = java.util.Arrays.copyOf(test.labels(), SENSITIVITY_EXAMPLES);
            double sensitivity =
                    Metrics.sensitivityMax(
                                    explain,
                                    SensitivityPerturbation.uniformLinf(),
                                    Inputs.of(few),
                                    Target.perExample(fewLabels),
                                    Metrics.SensitivityOptions.DEFAULTS
                                            .withNPerturbSamples(4)
                                            .withSeed(SEED))
                            .mean()
                            .getFloat();
            NDArray randomMap;
            try (Attribution a =
                    m.build().apply(randomised.forwardFunction()).explain(in, target)) {
                randomMap = a.attribution(0).abs().sum(new int[] {1});
                randomMap.attach(scope);
            }
            double sanity = mean(Similarity.spearman(map, randomMap));
            return new Row(
                    m.name(), seconds, pointing, mass, rank, infidelity, sensitivity, sanity);
        }
    }

    /** Chance level: a random attribution. */
    private static Row chance(ShapesTask test, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray map = scope.randomUniform(0f, 1f, test.masks().getShape());
            return new Row(
                    "random attribution (chance)",
                    Double.NaN,
                    Localisation.pointingGame(map, test.masks()).mean().getFloat(),
                    Localisation.relevanceMass(map, test.masks()).mean().getFloat(),
                    Localisation.relevanceRankAccuracy(map, test.masks()).mean().getFloat(),
                    Double.NaN,
                    Double.NaN,
                    Double.NaN);
        }
    }

    /** Cascading randomisation, top layer first, all the way down: every layer re-initialised. */
    private static void randomise(ImportedModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (String layer : LAYERS_TOP_DOWN) {
            Block block = model.layer(layer);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                float[] v = w.toFloatArray();
                double std = 0;
                for (float x : v) {
                    std += x * x;
                }
                std = Math.sqrt(std / v.length);
                for (int i = 0; i < v.length; i++) {
                    v[i] =
                            (float)
                                    (std
                                            * (Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                                                    * Math.cos(2 * Math.PI * random.nextDouble())));
                }
                w.set(v);
            }
        }
    }

    private static double accuracy(NDArray logits, int[] labels) {
        long[] predicted = logits.argMax(1).toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| method | time s | pointing game | relevance mass | rank accuracy | infidelity"
                    + " (norm.) | sensitivityMax | sanity ρ (randomised) |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %.3f | %.3f | %.3f | %s | %s | %s |%n",
                            r.method(),
                            fmt(r.seconds(), "%.3f"),
                            r.pointing(),
                            r.mass(),
                            r.rank(),
                            fmt(r.infidelity(), "%.4g"),
                            fmt(r.sensitivity(), "%.3f"),
                            fmt(r.sanity(), "%.3f")));
        }
        return sb.toString();
    }

    private static String csv(List<Row> rows) {
        StringBuilder sb =
                new StringBuilder(
                        "method,time_s,pointing_game,relevance_mass,rank_accuracy,infidelity_normalized,sensitivity_max,sanity_spearman\n");
        for (Row r : rows) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "\"%s\",%s,%.5f,%.5f,%.5f,%s,%s,%s%n",
                            r.method(),
                            fmt(r.seconds(), "%.5f"),
                            r.pointing(),
                            r.mass(),
                            r.rank(),
                            fmt(r.infidelity(), "%.6g"),
                            fmt(r.sensitivity(), "%.5f"),
                            fmt(r.sanity(), "%.5f")));
        }
        return sb.toString();
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
