package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.approx.Quadrature;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code bench} subcommand: attribution time against the raw batched forward + backward of the
 * same evaluations, measured alternately in one run (repetitions after a warm-up), so that the
 * ratio does not depend on how busy the machine is. Each repetition times the attribution and then
 * its raw counterpart; the ratio reported is the median of these paired ratios (with their
 * quartiles), which cancels the slow drifts of a shared machine; the times are medians.
 *
 * <p>Usage: {@code bench [--fixtures DIR] [--repeats N] [--warmup N] [--seconds S] [--filter
 * REGEX]}
 */
public final class Bench {

    private static final int MAX_REPEATS = 1000;

    private final int repeats;
    private final int warmup;
    private final double seconds;

    private Bench(int repeats, int warmup, double seconds) {
        this.repeats = repeats;
        this.warmup = warmup;
        this.seconds = seconds;
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
        Path fixtures = Path.of("src-test-resources");
        int repeats = 7;
        int warmup = 2;
        double seconds = 2;
        Pattern filter = Pattern.compile(".*");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fixtures":
                    fixtures = Path.of(args[++i]);
                    break;
                case "--repeats":
                    repeats = Integer.parseInt(args[++i]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[++i]);
                    break;
                case "--seconds":
                    seconds = Double.parseDouble(args[++i]);
                    break;
                case "--filter":
                    filter = Pattern.compile(args[++i]);
                    break;
                default:
                    System.err.println("unknown bench argument: " + args[i]);
                    System.err.println(
                            "usage: bench [--fixtures DIR] [--repeats N] [--warmup N] [--seconds S]"
                                    + " [--filter REGEX]");
                    return 2;
            }
        }
        Bench bench = new Bench(repeats, warmup, seconds);
        Path models = fixtures.resolve("models");
        System.out.printf(
                Locale.ROOT,
                "# captum4j bench: >= %d alternating runs (>= %.1f s per case) after %d warm-up;"
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
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Case> cases = new ArrayList<>();
            try (ImportedModel cnn = ImportedModel.load(models.resolve("small_cnn.json"), manager);
                    TorchScriptModel cnnTs = TorchScriptModel.load(models.resolve("small_cnn.pt"));
                    ImportedModel tiny =
                            ImportedModel.load(models.resolve("tiny_resnet.json"), manager);
                    TorchScriptModel tinyTs =
                            TorchScriptModel.load(models.resolve("tiny_resnet.pt"));
                    ImportedModel resnet18 =
                            ImportedModel.load(
                                    models.resolve("torchvision_resnet18.json"), manager, 0)) {
                cases.add(
                        ig(
                                "IG small_cnn B=8 nSteps=50 [block]",
                                cnn.forwardFunction(),
                                new Shape(8, 1, 28, 28),
                                50));
                cases.add(
                        ig(
                                "IG small_cnn B=8 nSteps=50 [torchscript]",
                                cnnTs,
                                new Shape(8, 1, 28, 28),
                                50));
                cases.add(
                        ig(
                                "IG tiny_resnet B=1 nSteps=50 [block]",
                                tiny.forwardFunction(),
                                new Shape(1, 3, 64, 64),
                                50));
                cases.add(
                        ig(
                                "IG tiny_resnet B=1 nSteps=50 [torchscript]",
                                tinyTs,
                                new Shape(1, 3, 64, 64),
                                50));
                cases.add(
                        ig(
                                "IG tiny_resnet B=8 nSteps=50 [block]",
                                tiny.forwardFunction(),
                                new Shape(8, 3, 64, 64),
                                50));
                cases.add(
                        saliency(
                                "Saliency tiny_resnet B=1 [block]",
                                tiny.forwardFunction(),
                                new Shape(1, 3, 64, 64)));
                cases.add(
                        ig(
                                "IG resnet18 3x224x224 B=1 nSteps=50 [block]",
                                resnet18.forwardFunction(),
                                new Shape(1, 3, 224, 224),
                                50));
                cases.add(
                        saliency(
                                "Saliency resnet18 3x224x224 B=1 [block]",
                                resnet18.forwardFunction(),
                                new Shape(1, 3, 224, 224)));
                cases.add(
                        layerGradCam(
                                "LayerGradCam(layer4) tiny_resnet B=1 [block]",
                                tiny,
                                "layer4",
                                new Shape(1, 3, 64, 64)));
                cases.add(
                        layerGradCam(
                                "LayerGradCam(layer3.1.conv2) resnet18 B=1 [block]",
                                resnet18,
                                "layer3.1.conv2",
                                new Shape(1, 3, 224, 224)));
                cases.add(
                        layerIg(
                                "LayerIG(conv1) resnet18 B=1 nSteps=50 [block]",
                                resnet18,
                                "conv1",
                                new Shape(1, 3, 224, 224),
                                50));
                cases.add(
                        ruleCase(
                                "GuidedBackprop resnet18 3x224x224 B=1 [block]",
                                resnet18.forwardFunction(),
                                new GuidedBackprop(resnet18.forwardFunction()),
                                new Shape(1, 3, 224, 224),
                                1));
                cases.add(
                        ruleCase(
                                "DeepLift resnet18 3x224x224 B=1 [block]",
                                resnet18.forwardFunction(),
                                new DeepLift(resnet18.forwardFunction()),
                                new Shape(1, 3, 224, 224),
                                2));
                for (Case c : cases) {
                    if (filter.matcher(c.name).find()) {
                        bench.measure(c, manager);
                    }
                }
                for (PerturbationCase c : perturbationCases(models, tiny, tinyTs, manager)) {
                    if (filter.matcher(c.name()).find()) {
                        bench.measure(c, manager);
                    }
                }
            }
        }
        return 0;
    }

    /**
     * One benchmark row: the attribution call, and the raw pass it is compared with: the model's
     * forward + backward on the rows the method evaluates ({@code rawInput}, built untimed).
     */
    private record Case(
            String name,
            Shape inputShape,
            ForwardFunction model,
            AttrCall attribution,
            RawInput rawInput) {}

    @FunctionalInterface
    private interface AttrCall {
        Attribution run(Inputs inputs);
    }

    @FunctionalInterface
    private interface RawInput {
        NDArray build(NDArray x, NDManager manager);
    }

    private static Case ig(String name, ForwardFunction f, Shape shape, int nSteps) {
        IntegratedGradients ig = new IntegratedGradients(f);
        IntegratedGradients.Options options =
                IntegratedGradients.Options.builder().nSteps(nSteps).build();
        Quadrature q = options.method().quadrature(nSteps);
        return new Case(
                name,
                shape,
                f,
                in -> ig.attribute(in, Target.index(3), options),
                (x, m) -> {
                    float[] alphas = new float[nSteps];
                    for (int k = 0; k < nSteps; k++) {
                        alphas[k] = (float) q.alpha(k);
                    }
                    long[] alphaShape = new long[shape.dimension() + 1];
                    Arrays.fill(alphaShape, 1);
                    alphaShape[0] = nSteps;
                    return m.create(alphas, new Shape(alphaShape))
                            .mul(x.expandDims(0))
                            .reshape(new Shape(nSteps * shape.get(0)).addAll(shape.slice(1)));
                });
    }

    private static Case saliency(String name, ForwardFunction f, Shape shape) {
        Saliency saliency = new Saliency(f);
        return new Case(name, shape, f, in -> saliency.attribute(in, Target.index(3)), (x, m) -> x);
    }

    /** LayerGradCam: its raw pass is one forward + backward of the batch. */
    private static Case layerGradCam(String name, LayerAccess model, String layer, Shape shape) {
        LayerGradCam gradCam = new LayerGradCam(model, LayerPath.of(layer));
        return new Case(
                name,
                shape,
                model.forwardFunction(),
                in -> gradCam.attribute(in, Target.index(3)),
                (x, m) -> x);
    }

    /** LayerIntegratedGradients: its raw pass is forward + backward of the nSteps copies. */
    private static Case layerIg(
            String name, LayerAccess model, String layer, Shape shape, int nSteps) {
        LayerIntegratedGradients lig = new LayerIntegratedGradients(model, LayerPath.of(layer));
        LayerIntegratedGradients.Options options =
                LayerIntegratedGradients.Options.builder().nSteps(nSteps).build();
        return new Case(
                name,
                shape,
                model.forwardFunction(),
                in -> lig.attribute(in, Target.index(3), options),
                (x, m) -> x.repeat(0, nSteps));
    }

    /**
     * A rule-based method (default options): its raw pass is one forward + backward of {@code
     * copies} batches (DeepLift runs inputs and baselines together).
     */
    private static Case ruleCase(
            String name, ForwardFunction f, AttributionMethod<?> method, Shape shape, int copies) {
        return new Case(
                name,
                shape,
                f,
                in -> method.attribute(in, Target.index(3)),
                (x, m) -> copies == 1 ? x : x.concat(x.zerosLike(), 0));
    }

    /** Plain libtorch: one forward with the input as autograd leaf, one backward of the target. */
    private static void rawForwardBackward(ForwardFunction f, NDArray x) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            NDArray out = f.forward(new NDList(leaf), List.of());
            NDArray total = out.get(":, 3").sum();
            JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
            leaf.getGradient().toFloatArray(); // wait for the result as attribute() does
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    private void measure(Case c, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0f, 1f, c.inputShape());
            NDArray rows = c.rawInput().build(x, m);
            Supplier<Void> attribution =
                    () -> {
                        try (Attribution a = c.attribution().run(Inputs.of(x))) {
                            a.attribution(0).toFloatArray();
                        }
                        return null;
                    };
            Supplier<Void> raw =
                    () -> {
                        try (NDManager pass = m.newSubManager()) {
                            pass.tempAttachAll(rows);
                            rawForwardBackward(c.model(), rows);
                        }
                        return null;
                    };
            compare(c.name(), attribution, raw, "");
        }
    }

    /**
     * Times an attribution and its raw counterpart alternately (median of several repetitions after
     * a warm-up) and prints one row.
     */
    private void compare(String name, Supplier<Void> attribution, Supplier<Void> raw, String note) {
        double first = 0;
        for (int i = 0; i < warmup; i++) {
            first = time(attribution) + time(raw);
        }
        // Cheap cases get more repetitions: at least `seconds` of measurement.
        int n =
                (int)
                        Math.min(
                                MAX_REPEATS,
                                Math.max(repeats, Math.ceil(seconds / Math.max(first, 1e-4))));
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
                "%-58s %12.5f %12.5f %7.2f [%4.2f, %4.2f]  (n=%d)%s%n",
                name,
                median(attr),
                median(base),
                median(ratios),
                ratios[n / 4],
                ratios[(3 * n) / 4],
                n,
                note);
    }

    // ---------------------------------------------------------------- perturbation rows

    /**
     * A perturbation row: the attribution call, and its raw counterpart: the model's forward passes
     * (no gradients) of exactly the batches the method evaluates, on inputs built untimed.
     *
     * @param name the row
     * @param inputShape the attributed batch
     * @param model the model
     * @param attribution the call
     * @param passRows rows of each forward pass the method makes
     * @param captumSeconds the reference's time for this row (PERF-ANCHORS), or 0
     */
    private record PerturbationCase(
            String name,
            Shape inputShape,
            ForwardFunction model,
            AttrCall attribution,
            long[] passRows,
            double captumSeconds) {}

    private static List<PerturbationCase> perturbationCases(
            Path models, ImportedModel tiny, TorchScriptModel tinyTs, NDManager manager)
            throws IOException {
        ImportedModel tabular = ImportedModel.load(models.resolve("tabular_mlp.json"), manager);
        TorchScriptModel tabularTs = TorchScriptModel.load(models.resolve("tabular_mlp.pt"));
        List<PerturbationCase> out = new ArrayList<>();
        Shape image = new Shape(1, 3, 64, 64);
        for (int ppe : new int[] {1, 16}) {
            double captum = ppe == 1 ? 0.23753 : 0.04893;
            out.add(
                    occlusion(
                            "Occlusion tiny_resnet B=1 s(3,8,8) w(3,15,15) ppe=" + ppe + " [block]",
                            tiny.forwardFunction(),
                            image,
                            ppe,
                            captum));
            out.add(
                    occlusion(
                            "Occlusion tiny_resnet B=1 s(3,8,8) w(3,15,15) ppe="
                                    + ppe
                                    + " [torchscript]",
                            tinyTs,
                            image,
                            ppe,
                            captum));
        }
        Shape rows64 = new Shape(64, 10);
        out.add(
                featureAblation(
                        "FeatureAblation tabular_mlp B=64 ppe=1 [block]",
                        tabular.forwardFunction(),
                        rows64));
        out.add(
                featureAblation(
                        "FeatureAblation tabular_mlp B=64 ppe=1 [torchscript]", tabularTs, rows64));
        out.add(
                kernelShap(
                        "KernelShap tabular_mlp B=1 nSamples=200 ppe=1 [torchscript]",
                        tabularTs,
                        1,
                        1,
                        0.10489));
        out.add(
                kernelShap(
                        "KernelShap tabular_mlp B=1 nSamples=200 ppe=200 [block]",
                        tabular.forwardFunction(),
                        1,
                        200,
                        0.05262));
        out.add(
                kernelShap(
                        "KernelShap tabular_mlp B=1 nSamples=200 ppe=200 [torchscript]",
                        tabularTs,
                        1,
                        200,
                        0.05262));
        out.add(
                kernelShap(
                        "KernelShap tabular_mlp B=64 nSamples=200 ppe=1 [torchscript]",
                        tabularTs,
                        64,
                        1,
                        64 * 0.10489));
        out.add(
                kernelShap(
                        "KernelShap tabular_mlp B=64 nSamples=200 ppe=200 [torchscript]",
                        tabularTs,
                        64,
                        200,
                        64 * 0.05262));
        return out;
    }

    private static PerturbationCase occlusion(
            String name, ForwardFunction f, Shape shape, int ppe, double captum) {
        Occlusion occlusion = new Occlusion(f);
        Occlusion.Options o =
                Occlusion.Options.builder()
                        .slidingWindowShapes(3, 15, 15)
                        .strides(3, 8, 8)
                        .perturbationsPerEval(ppe)
                        .build();
        // Captum's count: ceil((64 - 15) / 8) + 1 = 8 positions per spatial dimension.
        return new PerturbationCase(
                name,
                shape,
                f,
                in -> occlusion.attribute(in, Target.index(3), o),
                passRows(true, 64, ppe, shape.get(0)),
                captum);
    }

    private static PerturbationCase featureAblation(String name, ForwardFunction f, Shape shape) {
        FeatureAblation ablation = new FeatureAblation(f);
        return new PerturbationCase(
                name,
                shape,
                f,
                in -> ablation.attribute(in, Target.index(1)),
                passRows(true, shape.get(1), 1, shape.get(0)),
                0.00448);
    }

    private static PerturbationCase kernelShap(
            String name, ForwardFunction f, int batch, int ppe, double captum) {
        KernelShap ks = new KernelShap(f);
        Lime.Options o =
                Lime.Options.builder().nSamples(200).perturbationsPerEval(ppe).seed(0).build();
        return new PerturbationCase(
                name,
                new Shape(batch, 10),
                f,
                in -> ks.attribute(in, Target.index(1), o),
                passRows(false, 200, ppe, batch),
                captum);
    }

    /** Rows per forward pass: the unperturbed batch (if evaluated), then the perturbations. */
    private static long[] passRows(boolean initial, long perturbations, int ppe, long batch) {
        List<Long> rows = new ArrayList<>();
        if (initial) {
            rows.add(batch);
        }
        for (long done = 0; done < perturbations; done += ppe) {
            rows.add(Math.min(ppe, perturbations - done) * batch);
        }
        return rows.stream().mapToLong(Long::longValue).toArray();
    }

    private void measure(PerturbationCase c, NDManager manager) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0f, 1f, c.inputShape());
            List<NDArray> passes = new ArrayList<>();
            for (long rows : c.passRows()) {
                passes.add(
                        m.randomUniform(0f, 1f, new Shape(rows).addAll(c.inputShape().slice(1))));
            }
            Supplier<Void> attribution =
                    () -> {
                        try (Attribution a = c.attribution().run(Inputs.of(x))) {
                            a.attribution(0).toFloatArray();
                        }
                        return null;
                    };
            Supplier<Void> raw =
                    () -> {
                        for (NDArray rows : passes) {
                            try (NDManager pass = m.newSubManager()) {
                                pass.tempAttachAll(rows);
                                Gradients.forward(c.model(), new NDList(rows), List.of());
                            }
                        }
                        return null;
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

    private static double time(Supplier<Void> body) {
        long t0 = System.nanoTime();
        body.get();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
