package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
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
 * The {@code bench-memory} subcommand: peak resident memory of GradientShap as {@code nSamples}
 * grows 10x, with and without {@code internalBatchSize} (Captum issue #1350), on tiny_resnet (Block
 * model, one 3x64x64 image, 5 reference images, stdevs 0.1). Each call's peak is the process's
 * peak resident set (Linux {@code VmHWM}, reset before the call through {@code
 * /proc/self/clear_refs}), printed with its growth over the resident set just before the call,
 * after a warm-up call of the same configuration.
 */
final class MemoryBench {

    private MemoryBench() {}

    static int run(String[] args, PrintStream out) {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "src-test-resources");
        int small = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        out.println("| GradientShap tiny_resnet B=1 | nSamples | internalBatchSize | peak RSS MiB | growth MiB"
                + " | peak ratio to nSamples " + small + " |");
        out.println("|---|---|---|---|---|---|");
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel model =
                        ImportedModel.load(fixtures.resolve("models/tiny_resnet.json"), manager)) {
            NDArray x = manager.randomUniform(0f, 1f, new Shape(1, 3, 64, 64));
            NDArray refs = manager.randomUniform(0f, 1f, new Shape(5, 3, 64, 64));
            Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(refs));
            GradientShap gs = new GradientShap(model.forwardFunction());
            for (Integer ibs : new Integer[] {batch, null}) {
                double base = 0;
                for (int n : new int[] {small, 10 * small}) {
                    GradientShap.Options o =
                            GradientShap.Options.builder()
                                    .nSamples(n)
                                    .stdevs(0.1)
                                    .seed(0)
                                    .internalBatchSize(ibs)
                                    .build();
                    gs.attribute(in, Target.index(3), o).close(); // warm-up
                    double[] mib = peak(() -> gs.attribute(in, Target.index(3), o).close());
                    if (n == small) {
                        base = mib[0];
                    }
                    out.printf(
                            Locale.ROOT,
                            "| | %d | %s | %.1f | %.1f | %.3f |%n",
                            n,
                            ibs == null ? "none" : ibs.toString(),
                            mib[0],
                            mib[1],
                            mib[0] / base);
                    out.flush();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
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
