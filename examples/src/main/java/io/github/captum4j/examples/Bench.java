package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.Quadrature;
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
 * same evaluations, measured alternately in one run (median of several repetitions after a
 * warm-up), so that the ratio does not depend on how busy the machine is.
 *
 * <p>Usage: {@code bench [--fixtures DIR] [--repeats N] [--warmup N] [--filter REGEX]}
 */
public final class Bench {

    private static final int MAX_REPEATS = 300;

    private final int repeats;
    private final int warmup;

    private Bench(int repeats, int warmup) {
        this.repeats = repeats;
        this.warmup = warmup;
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
                case "--filter":
                    filter = Pattern.compile(args[++i]);
                    break;
                default:
                    System.err.println("unknown bench argument: " + args[i]);
                    System.err.println(
                            "usage: bench [--fixtures DIR] [--repeats N] [--warmup N] [--filter"
                                + " REGEX]");
                    return 2;
            }
        }
        Bench bench = new Bench(repeats, warmup);
        Path models = fixtures.resolve("models");
        System.out.printf(
                Locale.ROOT,
                "# captum4j bench: median of >= %d alternating runs (>= 1 s per case) after %d"
                    + " warm-up, %s, intra-op threads %s%n",
                repeats,
                warmup,
                System.getProperty("os.arch"),
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        System.out.printf(Locale.ROOT, "%-58s %12s %12s %7s%n", "case", "attr s", "raw s", "ratio");
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
                for (Case c : cases) {
                    if (filter.matcher(c.name).find()) {
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
            double first = 0;
            for (int i = 0; i < warmup; i++) {
                first = time(attribution);
                time(raw);
            }
            // Cheap cases get more repetitions: at least about two seconds of measurement.
            int n =
                    (int)
                            Math.min(
                                    MAX_REPEATS,
                                    Math.max(repeats, Math.ceil(1.0 / Math.max(first, 1e-4))));
            double[] attr = new double[n];
            double[] base = new double[n];
            for (int i = 0; i < n; i++) {
                attr[i] = time(attribution);
                base[i] = time(raw);
            }
            double a = median(attr);
            double r = median(base);
            System.out.printf(
                    Locale.ROOT, "%-58s %12.5f %12.5f %7.2f  (n=%d)%n", c.name(), a, r, a / r, n);
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
