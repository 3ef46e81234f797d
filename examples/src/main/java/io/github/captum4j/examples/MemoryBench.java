package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code bench-memory} subcommand: peak resident memory of every sampling method as its number
 * of samples grows 10x, with its batching option set and (GradientShap, NoiseTunnel) without it
 * (Captum issue #1350), on tiny_resnet (Block model, one 3x64x64 image): GradientShap (5 reference
 * images, stdevs 0.1, {@code internalBatchSize}), NoiseTunnel(Saliency) ({@code
 * ntSamplesBatchSize}), ShapleyValueSampling, Lime and KernelShap over 64 patches of 8x8 pixels
 * ({@code perturbationsPerEval}). Each call's peak is the process's peak resident set (Linux {@code
 * VmHWM}, reset before the call through {@code /proc/self/clear_refs}), printed with its growth
 * over the resident set just before the call, after a warm-up call of the same configuration.
 *
 * <p>{@code bench-memory FIXTURES ig-resnet18 [NSTEPS...]} instead measures IntegratedGradients on
 * the torchvision ResNet-18 shape (imported, seeded weights, one 1x3x224x224 image,
 * internalBatchSize 50) at each number of steps (default 50 and 1000), without a warm-up: the
 * figure PERF-ANCHORS compares with Captum's. Later rows start from what the allocator kept of the
 * earlier ones; the engine settings in force are printed with the table.
 */
final class MemoryBench {

    /** The argument choosing the IntegratedGradients ResNet-18 rows. */
    static final String IG_RESNET18 = "ig-resnet18";

    private MemoryBench() {}

    /** A call of one configuration with {@code n} samples and batching option {@code batch}. */
    @FunctionalInterface
    private interface Call {
        Attribution run(int n, Integer batch);
    }

    static int run(String[] args, PrintStream out) {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "src-test-resources");
        if (args.length > 1 && args[1].equals(IG_RESNET18)) {
            return igResNet18(fixtures, args, out);
        }
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        out.println(
                "| method, tiny_resnet B=1 | samples | batching option | peak RSS MiB | growth MiB"
                        + " | peak ratio to 1x samples |");
        out.println("|---|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel model =
                        ImportedModel.load(fixtures.resolve("models/tiny_resnet.json"), manager)) {
            ForwardFunction f = model.forwardFunction();
            NDArray x = manager.randomUniform(0f, 1f, new Shape(1, 3, 64, 64));
            NDArray refs = manager.randomUniform(0f, 1f, new Shape(5, 3, 64, 64));
            NDArray patches = patches(manager);
            Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(refs));
            Inputs plain = Inputs.of(x);
            GradientShap gs = new GradientShap(f);
            Call gradientShap =
                    (n, b) ->
                            gs.attribute(
                                    in,
                                    Target.index(3),
                                    GradientShap.Options.builder()
                                            .nSamples(n)
                                            .stdevs(0.1)
                                            .seed(0)
                                            .internalBatchSize(b)
                                            .build());
            NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(new Saliency(f));
            Call noiseTunnel =
                    (n, b) ->
                            nt.attribute(
                                    plain,
                                    Target.index(3),
                                    NoiseTunnel.Options.builder()
                                            .ntSamples(n)
                                            .ntSamplesBatchSize(b)
                                            .seed(0)
                                            .build());
            ShapleyValueSampling svs = new ShapleyValueSampling(f);
            Call shapley =
                    (n, b) ->
                            svs.attribute(
                                    plain,
                                    Target.index(3),
                                    ShapleyValueSampling.Options.builder()
                                            .nSamples(n)
                                            .featureMask(patches)
                                            .perturbationsPerEval(b)
                                            .seed(0)
                                            .build());
            Lime lime = new Lime(f);
            KernelShap kernelShap = new KernelShap(f);
            Call limeCall = (n, b) -> lime.attribute(plain, Target.index(3), limeOptions(n, b, patches));
            Call shapCall =
                    (n, b) -> kernelShap.attribute(plain, Target.index(3), limeOptions(n, b, patches));
            // Batched rows first: the process's resident set rarely shrinks after a large peak.
            rows(out, "GradientShap (internalBatchSize)", gradientShap, small, batch);
            rows(out, "NoiseTunnel(Saliency) (ntSamplesBatchSize)", noiseTunnel, small, batch);
            rows(out, "ShapleyValueSampling 64 patches (perturbationsPerEval)", shapley, 1, 16);
            rows(out, "Lime 64 patches (perturbationsPerEval)", limeCall, 5 * small, batch);
            rows(out, "KernelShap 64 patches (perturbationsPerEval)", shapCall, 5 * small, batch);
            rows(out, "GradientShap", gradientShap, small, null);
            rows(out, "NoiseTunnel(Saliency)", noiseTunnel, small, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    /** IntegratedGradients on ResNet-18, internalBatchSize 50, one row per number of steps. */
    private static int igResNet18(Path fixtures, String[] args, PrintStream out) {
        int[] steps =
                args.length > 2
                        ? java.util.Arrays.stream(args, 2, args.length)
                                .mapToInt(Integer::parseInt)
                                .toArray()
                        : new int[] {50, 1000};
        out.printf(
                Locale.ROOT,
                "%s=%s, MALLOC_MMAP_THRESHOLD_=%s, EngineSettings.keepFreedMemory applied: %s%n",
                EngineRelaunch.WAIT_POLICY,
                System.getenv(EngineRelaunch.WAIT_POLICY),
                System.getenv("MALLOC_MMAP_THRESHOLD_"),
                EngineDefaults.freedMemoryKept());
        out.println("| IG ResNet-18 1x3x224x224, ibs 50 | nSteps | peak RSS MiB | growth MiB | s |");
        out.println("|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel model =
                        ImportedModel.load(
                                fixtures.resolve("models/torchvision_resnet18.json"), manager, 0)) {
            IntegratedGradients ig = new IntegratedGradients(model.forwardFunction());
            Inputs in = Inputs.of(manager.randomUniform(0f, 1f, new Shape(1, 3, 224, 224)));
            for (int n : steps) {
                IntegratedGradients.Options o =
                        IntegratedGradients.Options.builder()
                                .nSteps(n)
                                .internalBatchSize(50)
                                .build();
                long t = System.nanoTime();
                double[] mib = peak(() -> ig.attribute(in, Target.index(3), o).close());
                out.printf(
                        Locale.ROOT,
                        "| | %d | %.1f | %.1f | %.1f |%n",
                        n,
                        mib[0],
                        mib[1],
                        (System.nanoTime() - t) / 1e9);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private static Lime.Options limeOptions(int n, Integer batch, NDArray patches) {
        return Lime.Options.builder()
                .nSamples(n)
                .featureMask(patches)
                .perturbationsPerEval(batch == null ? 1 : batch)
                .seed(0)
                .build();
    }

    /** Feature ids of 8x8 patches of a 3x64x64 image, shared by the channels: 64 features. */
    private static NDArray patches(NDManager manager) {
        long[] ids = new long[64 * 64];
        for (int r = 0; r < 64; r++) {
            for (int c = 0; c < 64; c++) {
                ids[r * 64 + c] = (r / 8) * 8 + c / 8;
            }
        }
        return manager.create(ids, new Shape(1, 1, 64, 64)).repeat(1, 3);
    }

    /** One configuration at {@code small} and {@code 10 * small} samples. */
    private static void rows(PrintStream out, String label, Call call, int small, Integer batch)
            throws IOException {
        double base = 0;
        for (int n : new int[] {small, 10 * small}) {
            call.run(n, batch).close(); // warm-up
            double[] mib = peak(() -> call.run(n, batch).close());
            if (n == small) {
                base = mib[0];
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %.1f | %.1f | %.3f |%n",
                    n == small ? label : "",
                    n,
                    batch == null ? "none" : batch.toString(),
                    mib[0],
                    mib[1],
                    mib[0] / base);
            out.flush();
        }
    }

    /**
     * The peak resident set during {@code body} and its growth over the resident set before, in
     * MiB.
     */
    private static double[] peak(Runnable body) throws IOException {
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        long before = status("VmRSS:");
        body.run();
        long hwm = status("VmHWM:");
        return new double[] {hwm / 1024.0, (hwm - before) / 1024.0};
    }

    /** A {@code /proc/self/status} value in KiB. */
    private static long status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(key + " not in /proc/self/status");
    }
}
