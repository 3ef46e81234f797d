package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import io.github.captum4j.core.internal.ParameterGradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.influence.Batch;
import io.github.captum4j.influence.Checkpoint;
import io.github.captum4j.influence.Loss;
import io.github.captum4j.influence.TracInCP;
import io.github.captum4j.influence.TracInCPFast;
import io.github.captum4j.influence.TrainingInfluence;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code bench-influence} subcommand: training rows per second of TracIn self influence on the
 * influence demo's CNN (one checkpoint, its loading included), and the ratio to one batched forward
 * and backward pass (loss gradient to every parameter) of the same rows in the same batches. Each
 * ratio is the median of paired repetitions (method / raw, timed back to back).
 */
final class InfluenceBench {

    private static final int ROWS = 800;
    private static final int BATCH = 100;

    private InfluenceBench() {}

    static int run(String[] args, PrintStream out) {
        int reps = args.length >= 2 && args[0].equals("--reps") ? Integer.parseInt(args[1]) : 5;
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = Files.createTempDirectory("captum4j-influence-bench");
            ShapesTask data = ShapesTask.generate(ROWS, 31, m);
            List<Checkpoint> one =
                    InfluenceModel.train(
                            data.images(), data.labels(), new float[] {0.1f}, 1, 32, dir);
            NDArray y = m.create(Arrays.stream(data.labels()).asLongStream().toArray());
            List<Batch> batches = Batch.split(data.images(), y, BATCH);
            Loss ce = Loss.crossEntropy(Loss.Reduction.SUM);
            Map<String, TrainingInfluence> methods = new LinkedHashMap<>();
            methods.put(
                    "TracInCPFast (fc2)", new TracInCPFast(one, batches, ce, LayerPath.of("fc2")));
            methods.put(
                    "TracInCP (fc1, fc2; closed form)",
                    new TracInCP(one, batches, ce, LayerPath.of("fc1", "fc2")));
            methods.put(
                    "TracInCP (all layers; backward per row)",
                    new TracInCP(one, batches, ce, null));
            try (ImportedModel model = ImportedModel.load(one.get(0).file(), m)) {
                NDList params = parameters(model);
                Supplier<Long> raw =
                        () ->
                                time(
                                        () -> {
                                            for (Batch b : batches) {
                                                try (NDManager s = m.newSubManager()) {
                                                    NDArray x = b.inputs().get(0).duplicate();
                                                    x.attach(s);
                                                    NDArray labels = b.labels();
                                                    ParameterGradients.compute(
                                                            model.forwardFunction(),
                                                            new NDList(x),
                                                            List.of(),
                                                            o -> ce.perExample(o, labels),
                                                            params);
                                                }
                                            }
                                        });
                long load = time(() -> loadOnce(one.get(0), m));
                out.printf(
                        "influence bench: %d rows in batches of %d, demo CNN, 1 checkpoint"
                                + " (loading it: %.1f ms)%n",
                        ROWS, BATCH, load / 1e6);
                out.printf(
                        "%-42s %12s %16s%n",
                        "method (selfInfluence)", "rows/s", "ratio to fwd+bwd");
                raw.get(); // warm-up
                for (Map.Entry<String, TrainingInfluence> e : methods.entrySet()) {
                    e.getValue().selfInfluence().close(); // warm-up
                    List<Double> ratios = new ArrayList<>();
                    List<Double> rates = new ArrayList<>();
                    for (int r = 0; r < reps; r++) {
                        long base = raw.get();
                        long t = time(() -> e.getValue().selfInfluence().close());
                        ratios.add(t / (double) base);
                        rates.add(ROWS / (t / 1e9));
                    }
                    out.printf("%-42s %12.0f %16.2f%n", e.getKey(), median(rates), median(ratios));
                }
                double rawRate = ROWS / (raw.get() / 1e9);
                out.printf(
                        "%-42s %12.0f %16s%n",
                        "batched forward + backward (reference)", rawRate, "1.00");
            }
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void loadOnce(Checkpoint c, NDManager m) {
        try (NDManager s = m.newSubManager();
                ImportedModel model = ImportedModel.load(c.file(), s)) {
            model.id();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static NDList parameters(ImportedModel model) {
        NDList out = new NDList();
        for (String name : model.layerNames()) {
            Block b = model.layer(name);
            if (b.getChildren().isEmpty()) {
                for (Pair<String, Parameter> p : b.getDirectParameters()) {
                    out.add(p.getValue().getArray());
                }
            }
        }
        return out;
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
