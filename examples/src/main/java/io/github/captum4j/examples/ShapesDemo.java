package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.GuidedGradCam;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.metrics.ExplanationFunction;
import io.github.captum4j.metrics.InfidelityPerturbation;
import io.github.captum4j.metrics.Localisation;
import io.github.captum4j.metrics.Metrics;
import io.github.captum4j.metrics.SensitivityPerturbation;
import io.github.captum4j.metrics.Similarity;
import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.VisualizeSign;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

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
    private static final int SEED = 42;
    private static final int SENSITIVITY_EXAMPLES = 8;
    private static final String[] LAYERS_TOP_DOWN = {"fc2", "fc1", "conv2", "conv1"};

    /** A method of the demo: its name and how to build its explanation on a model. */
    private record Method(String name, Function<ForwardFunction, ExplanationFunction> build) {}

    /** Images shown in the heat-map panel, and the panel's scale. */
    private static final int PANEL_IMAGES = 4;

    private static final int PANEL_SCALE = 4;

    /** One row of the report. */
    private record Row(
            String method,
            double seconds,
            double pointing,
            double mass,
            double rank,
            double infidelity,
            double sensitivity,
            double[] sanity,
            NDArray panelAttribution) {}

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
        m.add(new Method("DeepLift", f -> new DeepLift(f)::attribute));
        m.add(new Method("GuidedBackprop", f -> new GuidedBackprop(f)::attribute));
        m.add(
                new Method(
                        "GuidedGradCam(conv2)",
                        f -> new GuidedGradCam((LayerAccess) f, LayerPath.of("conv2"))::attribute));
        m.add(
                new Method(
                        "LayerGradCam(conv2), upsampled",
                        f -> {
                            LayerGradCam gradCam =
                                    new LayerGradCam((LayerAccess) f, LayerPath.of("conv2"));
                            return (in, t) -> {
                                try (Attribution a = gradCam.attribute(in, t)) {
                                    NDArray up =
                                            LayerAttribution.interpolate(
                                                    a.attribution(0),
                                                    ShapesTask.SIZE,
                                                    ShapesTask.SIZE);
                                    return new Attribution(
                                            "LayerGradCam, upsampled",
                                            a.options(),
                                            new NDList(up),
                                            null);
                                }
                            };
                        }));
        m.add(
                new Method(
                        "Occlusion 4x4, stride 2",
                        f -> {
                            Occlusion occlusion = new Occlusion(f);
                            Occlusion.Options o =
                                    Occlusion.Options.builder()
                                            .slidingWindowShapes(1, 4, 4)
                                            .strides(1, 2, 2)
                                            .perturbationsPerEval(64)
                                            .build();
                            return (in, t) -> occlusion.attribute(in, t, o);
                        }));
        m.add(
                new Method(
                        "FeatureAblation (pixels)",
                        f -> {
                            FeatureAblation ablation = new FeatureAblation(f);
                            FeatureAblation.Options o =
                                    FeatureAblation.Options.builder()
                                            .perturbationsPerEval(128)
                                            .build();
                            return (in, t) -> ablation.attribute(in, t, o);
                        }));
        m.add(
                new Method(
                        "KernelShap (4x4 superpixels)",
                        f -> {
                            KernelShap shap = new KernelShap(f);
                            return (in, t) ->
                                    shap.attribute(
                                            in,
                                            t,
                                            Lime.Options.builder()
                                                    .featureMask(superpixels(in.manager()))
                                                    .nSamples(200)
                                                    .perturbationsPerEval(200)
                                                    .seed(SEED)
                                                    .build());
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
                for (Method m : methods()) {
                    rows.add(evaluate(m, model, json, in, target, test, manager));
                }
                rows.add(chance(test, manager));
                String table = markdown(rows);
                out.println(table);
                Files.writeString(outDir.resolve("demo-metrics.md"), table, StandardCharsets.UTF_8);
                Files.writeString(
                        outDir.resolve("demo-metrics.csv"), csv(rows), StandardCharsets.UTF_8);
                Path png = outDir.resolve("demo-heatmaps.png");
                ImageIO.write(panel(test, rows), "png", png.toFile());
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
            double[] sanity = cascadingRandomisation(m, json, map, in, target, scope);
            NDArray panel = attr.get("0:" + PANEL_IMAGES).duplicate();
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

    /**
     * One row per test image: the image, then each method's heat map of |attribution| (Captum's
     * heat_map / absolute_value with outlier normalisation, drawn by captum-viz), the object's box
     * outlined in the first column.
     */
    private static BufferedImage panel(ShapesTask test, List<Row> rows) {
        List<Row> methods = new ArrayList<>();
        for (Row r : rows) {
            if (r.panelAttribution() != null) {
                methods.add(r);
            }
        }
        int cell = ShapesTask.SIZE * PANEL_SCALE;
        int header = 18;
        int gap = 4;
        int width = (methods.size() + 1) * (cell + gap);
        BufferedImage out =
                new BufferedImage(
                        width, header + PANEL_IMAGES * (cell + gap), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.BLACK);
        g.drawString("input", 2, 12);
        for (int j = 0; j < methods.size(); j++) {
            g.drawString(shortName(methods.get(j).method()), (j + 1) * (cell + gap) + 2, 12);
        }
        ImageVisualization.Options heat =
                ImageVisualization.Options.builder()
                        .method(ImageVisualizationMethod.HEAT_MAP)
                        .sign(VisualizeSign.ABSOLUTE_VALUE)
                        .channelLayout(ChannelLayout.CHANNELS_FIRST)
                        .build();
        ImageVisualization.Options original =
                heat.toBuilder().method(ImageVisualizationMethod.ORIGINAL_IMAGE).build();
        for (int i = 0; i < PANEL_IMAGES; i++) {
            int y = header + i * (cell + gap);
            NDArray image = test.images().get(i);
            NDArray normalised = image.sub(image.min()).div(image.max().sub(image.min()));
            drawScaled(
                    g,
                    ImageVisualization.renderImageAttr(normalised, normalised, original),
                    0,
                    y,
                    cell);
            g.setColor(Color.RED);
            float[] mask = test.masks().get(i).toFloatArray();
            outlineBox(g, mask, 0, y);
            for (int j = 0; j < methods.size(); j++) {
                NDArray a = methods.get(j).panelAttribution().get(i);
                drawScaled(
                        g,
                        ImageVisualization.renderImageAttr(a, null, heat),
                        (j + 1) * (cell + gap),
                        y,
                        cell);
            }
        }
        g.dispose();
        return out;
    }

    private static void drawScaled(Graphics2D g, BufferedImage image, int x, int y, int size) {
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, x, y, size, size, null);
    }

    private static void outlineBox(Graphics2D g, float[] mask, int x, int y) {
        int minR = ShapesTask.SIZE;
        int minC = ShapesTask.SIZE;
        int maxR = -1;
        int maxC = -1;
        for (int r = 0; r < ShapesTask.SIZE; r++) {
            for (int c = 0; c < ShapesTask.SIZE; c++) {
                if (mask[r * ShapesTask.SIZE + c] > 0) {
                    minR = Math.min(minR, r);
                    minC = Math.min(minC, c);
                    maxR = Math.max(maxR, r);
                    maxC = Math.max(maxC, c);
                }
            }
        }
        g.drawRect(
                x + minC * PANEL_SCALE,
                y + minR * PANEL_SCALE,
                (maxC - minC + 1) * PANEL_SCALE - 1,
                (maxR - minR + 1) * PANEL_SCALE - 1);
    }

    private static String shortName(String method) {
        return method.length() <= 21 ? method : method.substring(0, 20) + "…";
    }

    /** 64 features: the 4×4 blocks of a 32×32 image. */
    private static NDArray superpixels(NDManager manager) {
        long[] ids = new long[ShapesTask.SIZE * ShapesTask.SIZE];
        for (int r = 0; r < ShapesTask.SIZE; r++) {
            for (int c = 0; c < ShapesTask.SIZE; c++) {
                ids[r * ShapesTask.SIZE + c] = (r / 4) * (ShapesTask.SIZE / 4) + c / 4;
            }
        }
        return manager.create(ids, new Shape(1, 1, ShapesTask.SIZE, ShapesTask.SIZE));
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
        double[] rho = new double[LAYERS_TOP_DOWN.length];
        SplittableRandom random = new SplittableRandom(SEED);
        try (ImportedModel copy = ImportedModel.load(json, scope)) {
            ExplanationFunction explain = m.build().apply(copy.forwardFunction());
            for (int k = 0; k < LAYERS_TOP_DOWN.length; k++) {
                randomiseLayer(copy.layer(LAYERS_TOP_DOWN[k]), random);
                try (Attribution a = explain.explain(in, target)) {
                    NDArray map = a.attribution(0).abs().sum(new int[] {1});
                    rho[k] = mean(Similarity.spearman(trainedMap, map));
                    map.close();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
            w.set(v);
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
                        + " (norm.) | sensitivityMax | sanity ρ: fc2 / +fc1 / +conv2 / +conv1"
                        + " randomised |\n");
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
                            sanity(r.sanity(), " / ", "%.2f")));
        }
        return sb.toString();
    }

    private static String csv(List<Row> rows) {
        StringBuilder sb =
                new StringBuilder(
                        "method,time_s,pointing_game,relevance_mass,rank_accuracy,infidelity_normalized,sensitivity_max,sanity_fc2,sanity_fc1,sanity_conv2,sanity_conv1\n");
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
                            sanity(r.sanity(), ",", "%.5f")));
        }
        return sb.toString();
    }

    private static String sanity(double[] rho, String separator, String format) {
        if (rho == null) {
            return String.join(
                    separator, java.util.Collections.nCopies(LAYERS_TOP_DOWN.length, "-"));
        }
        List<String> parts = new ArrayList<>();
        for (double r : rho) {
            parts.add(fmt(r, format));
        }
        return String.join(separator, parts);
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
