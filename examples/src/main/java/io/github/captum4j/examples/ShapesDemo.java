package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.examples.ShapesDemoMethods.Method;
import io.github.captum4j.examples.ShapesDemoReport.Row;
import io.github.captum4j.metrics.ExplanationFunction;
import io.github.captum4j.metrics.InfidelityPerturbation;
import io.github.captum4j.metrics.Localisation;
import io.github.captum4j.metrics.Metrics;
import io.github.captum4j.metrics.SensitivityPerturbation;
import io.github.captum4j.metrics.Similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

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
    private static final int SEED = ShapesDemoMethods.SEED;
    private static final int SENSITIVITY_EXAMPLES = 8;

    private ShapesDemo() {}

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
            out.printf(
                    Locale.ROOT,
                    "training %s: %d epochs on %d images (about a minute on 2 cores)...%n",
                    ShapesModel.ID,
                    EPOCHS,
                    TRAIN);
            out.flush();
            ShapesTask train = ShapesTask.generate(TRAIN, SEED, manager);
            Path json = ShapesModel.trainAndExport(train, EPOCHS, SEED, outDir);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            ShapesTask test = ShapesTask.generate(TEST, SEED + 1, manager);
            try (ImportedModel model = ImportedModel.load(json, manager)) {
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
                List<Method> methods = ShapesDemoMethods.all();
                for (int k = 0; k < methods.size(); k++) {
                    Method m = methods.get(k);
                    long start = System.nanoTime();
                    out.printf(
                            Locale.ROOT,
                            "[%d/%d] %s: attributing and scoring...",
                            k + 1,
                            methods.size(),
                            m.name());
                    out.flush();
                    rows.add(evaluate(m, model, json, in, target, test, manager));
                    out.printf(Locale.ROOT, " %.1f s%n", (System.nanoTime() - start) / 1e9);
                }
                out.println();
                rows.add(chance(test, manager));
                String table = ShapesDemoReport.markdown(rows);
                out.println(table);
                Files.writeString(outDir.resolve("demo-metrics.md"), table, StandardCharsets.UTF_8);
                String csv = ShapesDemoReport.csv(rows);
                Files.writeString(outDir.resolve("demo-metrics.csv"), csv, StandardCharsets.UTF_8);
                Path png = outDir.resolve("demo-heatmaps.png");
                ImageIO.write(ShapesDemoReport.panel(test, rows), "png", png.toFile());
                out.println(
                        "written: "
                                + outDir.resolve("demo-metrics.md")
                                + ", "
                                + outDir.resolve("demo-metrics.csv")
                                + ", "
                                + png);
            }
        }
        return 0;
    }

    private static Row evaluate(
            Method m,
            ImportedModel model,
            Path json,
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
            int[] fewLabels = Arrays.copyOf(test.labels(), SENSITIVITY_EXAMPLES);
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
            double[] sanity = cascadingRandomisation(m, json, map, in, target, scope);
            NDArray panel = attr.get("0:" + ShapesDemoReport.PANEL_IMAGES).duplicate();
            panel.attach(manager);
            return new Row(
                    m.name(),
                    seconds,
                    pointing,
                    mass,
                    rank,
                    infidelity,
                    sensitivity,
                    sanity,
                    panel);
        }
    }

    /** Chance level: a random attribution. */
    private static Row chance(ShapesTask test, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            SplittableRandom random = new SplittableRandom(SEED);
            float[] values = new float[(int) test.masks().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble();
            }
            NDArray map = scope.create(values, test.masks().getShape());
            return new Row(
                    "random attribution (chance)",
                    Double.NaN,
                    Localisation.pointingGame(map, test.masks()).mean().getFloat(),
                    Localisation.relevanceMass(map, test.masks()).mean().getFloat(),
                    Localisation.relevanceRankAccuracy(map, test.masks()).mean().getFloat(),
                    Double.NaN,
                    Double.NaN,
                    null,
                    null);
        }
    }

    /**
     * The model-randomisation sanity check (Adebayo et al. 2018): a fresh copy of the model has its
     * layers re-initialised one after another, top layer first (each with Gaussian weights of the
     * layer's own scale); after each step the method explains the same batch again and the Spearman
     * correlation of |attribution| with the trained model's is recorded.
     */
    private static double[] cascadingRandomisation(
            Method m, Path json, NDArray trainedMap, Inputs in, Target target, NDManager scope) {
        double[] rho = new double[ShapesDemoReport.LAYERS_TOP_DOWN.length];
        SplittableRandom random = new SplittableRandom(SEED);
        try (ImportedModel copy = ImportedModel.load(json, scope)) {
            ExplanationFunction explain = m.build().apply(copy.forwardFunction());
            for (int k = 0; k < ShapesDemoReport.LAYERS_TOP_DOWN.length; k++) {
                randomiseLayer(copy.layer(ShapesDemoReport.LAYERS_TOP_DOWN[k]), random);
                try (Attribution a = explain.explain(in, target)) {
                    NDArray map = a.attribution(0).abs().sum(new int[] {1});
                    rho[k] = mean(Similarity.spearman(trainedMap, map));
                    map.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rho;
    }

    private static void randomiseLayer(Block block, SplittableRandom random) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            float[] v = w.toFloatArray();
            double std = 0;
            for (float x : v) {
                std += x * x;
            }
            std = Math.sqrt(std / v.length);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (std * ShapesTask.gaussian(random));
            }
            // Written in place through an indexed copy with gradients off: NDArray.set(float[])
            // reaches libtorch through DJL's torchSet, which logs libtorch's deprecation warning
            // "AutoNonVariableTypeMode is deprecated" on stderr.
            NDArray fresh = w.getManager().create(v, w.getShape());
            Gradients.withGradMode(
                    false,
                    () -> {
                        w.set(new NDIndex(":"), fresh);
                        return null;
                    });
            fresh.close();
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
}
