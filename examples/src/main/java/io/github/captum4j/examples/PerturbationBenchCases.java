package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The perturbation rows of the {@code bench} subcommand. The raw counterpart of each is the plain
 * forward passes (no gradients: DJL records none outside a {@code GradientCollector}) of exactly
 * the batches the method evaluates, on random inputs built untimed; the reference's times are
 * Captum 0.8.0 at 2 threads from the interleaved run of PERF-ANCHORS (2026-12-02), 0 where it has
 * no such row.
 */
final class PerturbationBenchCases {

    private static final double KERNEL_SHAP_B1 = 0.0466;
    private static final double KERNEL_SHAP_B64 = 3.48;

    private PerturbationBenchCases() {}

    /**
     * The perturbation rows, in the order they are measured.
     *
     * @param tiny tiny_resnet as a Block model
     * @param tinyTs tiny_resnet as TorchScript
     * @param tabular tabular_mlp as a Block model
     * @param tabularTs tabular_mlp as TorchScript
     * @return the rows
     */
    static List<BenchCase> all(
            ImportedModel tiny,
            TorchScriptModel tinyTs,
            ImportedModel tabular,
            TorchScriptModel tabularTs) {
        List<BenchCase> out = new ArrayList<>();
        Shape image = new Shape(1, 3, 64, 64);
        for (int ppe : new int[] {1, 16}) {
            String name = "Occlusion tiny_resnet B=1 s(3,8,8) w(3,15,15) ppe=" + ppe;
            out.add(
                    occlusion(
                            name + " [block]",
                            tiny.forwardFunction(),
                            image,
                            ppe,
                            ppe == 1 ? 0.117 : 0.0313));
            out.add(occlusion(name + " [torchscript]", tinyTs, image, ppe, ppe == 1 ? 0.095 : 0));
        }
        Shape rows64 = new Shape(64, 10);
        ForwardFunction block = tabular.forwardFunction();
        out.add(featureAblation("FeatureAblation tabular_mlp B=64 ppe=1 [block]", block, rows64));
        out.add(
                featureAblation(
                        "FeatureAblation tabular_mlp B=64 ppe=1 [torchscript]", tabularTs, rows64));
        out.add(
                arrayForwardAblation(
                        "FeatureAblation JVM MLP 10-16-3 B=64 ppe=1 [ArrayForward] vs [tensor path]",
                        rows64));
        for (int ppe : new int[] {1, 11}) {
            out.add(
                    manyTargets(
                            "FeatureAblation Target.many(3) tabular_mlp B=64 ppe="
                                    + ppe
                                    + " vs 3 calls [torchscript]",
                            tabularTs,
                            rows64,
                            ppe));
        }
        String ks = "KernelShap tabular_mlp B=";
        out.add(kernelShap(ks + "1 nSamples=200 ppe=1 [torchscript]", tabularTs, 1, 1));
        out.add(kernelShap(ks + "1 nSamples=200 ppe=200 [block]", block, 1, 200));
        out.add(kernelShap(ks + "1 nSamples=200 ppe=200 [torchscript]", tabularTs, 1, 200));
        out.add(kernelShap(ks + "64 nSamples=200 ppe=1 [torchscript]", tabularTs, 64, 1));
        out.add(kernelShap(ks + "64 nSamples=200 ppe=200 [torchscript]", tabularTs, 64, 200));
        out.add(lime("Lime tabular_mlp B=1 nSamples=200 ppe=1 [block]", block));
        out.add(shapleySampling("ShapleyValueSampling tabular_mlp B=1 nSamples=25 [block]", block));
        return out;
    }

    private static BenchCase occlusion(
            String name, ForwardFunction f, Shape shape, int ppe, double captum) {
        Occlusion occlusion = new Occlusion(f);
        Occlusion.Options o =
                Occlusion.Options.builder()
                        .slidingWindowShapes(3, 15, 15)
                        .strides(3, 8, 8)
                        .perturbationsPerEval(ppe)
                        .build();
        // Captum's count: ceil((64 - 15) / 8) + 1 = 8 positions per spatial dimension.
        return row(
                name,
                shape,
                f,
                in -> occlusion.attribute(in, Target.index(3), o),
                passRows(true, 64, ppe, shape.get(0)),
                captum);
    }

    private static BenchCase featureAblation(String name, ForwardFunction f, Shape shape) {
        FeatureAblation ablation = new FeatureAblation(f);
        return row(
                name,
                shape,
                f,
                in -> ablation.attribute(in, Target.index(1)),
                passRows(true, shape.get(1), 1, shape.get(0)),
                0.00208);
    }

    /**
     * FeatureAblation of a model written on JVM arrays (a seeded ReLU MLP 10 → 16 → 3 in plain
     * Java, the shape of tabular_mlp) through its {@link ArrayForward} path, against the same
     * model on the engine's tensor path (wrapped as an asynchronous model, one pass in flight,
     * which FeatureAblation leaves to the engine): ratio below 1 = the JVM-array path's speed-up;
     * the model's own work is the same on both sides.
     */
    private static BenchCase arrayForwardAblation(String name, Shape shape) {
        ArrayForward mlp = jvmMlp(10, 16, 3, 7);
        FeatureAblation onArrays = new FeatureAblation(mlp);
        FeatureAblation onEngine =
                new FeatureAblation(
                        ForwardFunction.async(
                                (rows, args) ->
                                        java.util.concurrent.CompletableFuture.completedFuture(
                                                mlp.forward(rows, args)),
                                1));
        return new BenchCase(
                name,
                shape,
                in -> onArrays.attribute(in, Target.index(1)),
                (x, m) -> {
                    Inputs in = Inputs.of(x);
                    return () -> onEngine.attribute(in, Target.index(1)).close();
                },
                0);
    }

    /** {@code W2 relu(W1 x)}, weights seeded, evaluated row by row in Java. */
    private static ArrayForward jvmMlp(int in, int hidden, int out, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        float[] w1 = new float[in * hidden];
        float[] w2 = new float[hidden * out];
        for (float[] w : new float[][] {w1, w2}) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextDouble() - 0.5);
            }
        }
        return (rows, shape) -> {
            int n = (int) shape[0];
            float[] y = new float[n * out];
            float[] h = new float[hidden];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < hidden; j++) {
                    float z = 0;
                    for (int i = 0; i < in; i++) {
                        z += w1[j * in + i] * rows[r * in + i];
                    }
                    h[j] = Math.max(0, z);
                }
                for (int k = 0; k < out; k++) {
                    float z = 0;
                    for (int j = 0; j < hidden; j++) {
                        z += w2[k * hidden + j] * h[j];
                    }
                    y[r * out + k] = z;
                }
            }
            return new ArrayForward.Output(y, n, out);
        };
    }

    /**
     * Target.many over the 3 classes against 3 single calls (the raw side here is the same method,
     * one call per target; the ratio is the saving of the shared forward passes).
     */
    private static BenchCase manyTargets(String name, ForwardFunction f, Shape shape, int ppe) {
        FeatureAblation ablation = new FeatureAblation(f);
        FeatureAblation.Options o =
                FeatureAblation.Options.builder().perturbationsPerEval(ppe).build();
        Target.Many targets = Target.many(Target.index(0), Target.index(1), Target.index(2));
        return new BenchCase(
                name,
                shape,
                in -> {
                    List<Attribution> all = ablation.attribute(in, targets, o);
                    for (int k = 1; k < all.size(); k++) {
                        all.get(k).close();
                    }
                    return all.get(0);
                },
                (x, m) -> {
                    Inputs in = Inputs.of(x);
                    return () -> {
                        for (Target t : targets.targets()) {
                            ablation.attribute(in, t, o).close();
                        }
                    };
                },
                0);
    }

    private static BenchCase kernelShap(String name, ForwardFunction f, int batch, int ppe) {
        KernelShap ks = new KernelShap(f);
        Lime.Options o =
                Lime.Options.builder().nSamples(200).perturbationsPerEval(ppe).seed(0).build();
        double captum = ppe != 1 ? 0 : batch == 1 ? KERNEL_SHAP_B1 : KERNEL_SHAP_B64;
        return row(
                name,
                new Shape(batch, 10),
                f,
                in -> ks.attribute(in, Target.index(1), o),
                passRows(false, 200, ppe, batch),
                captum);
    }

    /** Lime (default similarity and interpretable model): 200 single-row forwards. */
    private static BenchCase lime(String name, ForwardFunction f) {
        Lime lime = new Lime(f);
        Lime.Options o = Lime.Options.builder().nSamples(200).seed(0).build();
        return row(
                name,
                new Shape(1, 10),
                f,
                in -> lime.attribute(in, Target.index(1), o),
                passRows(false, 200, 1, 1),
                0.0628);
    }

    /** ShapleyValueSampling, 25 permutations of 10 features: 1 + 250 single-row forwards. */
    private static BenchCase shapleySampling(String name, ForwardFunction f) {
        ShapleyValueSampling svs = new ShapleyValueSampling(f);
        ShapleyValueSampling.Options o =
                ShapleyValueSampling.Options.builder().nSamples(25).seed(0).build();
        return row(
                name,
                new Shape(1, 10),
                f,
                in -> svs.attribute(in, Target.index(1), o),
                passRows(true, 250, 1, 1),
                0.0498);
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

    /** A row whose raw passes are plain forwards of random batches of {@code passRows} rows. */
    private static BenchCase row(
            String name,
            Shape shape,
            ForwardFunction f,
            Function<Inputs, Attribution> attribution,
            long[] passRows,
            double captumSeconds) {
        return new BenchCase(
                name,
                shape,
                attribution,
                (x, m) -> {
                    List<NDArray> passes = new ArrayList<>();
                    for (long rows : passRows) {
                        passes.add(m.randomUniform(0f, 1f, new Shape(rows).addAll(shape.slice(1))));
                    }
                    return () -> {
                        for (NDArray rows : passes) {
                            try (NDManager pass = m.newSubManager()) {
                                pass.tempAttachAll(rows);
                                f.forward(new NDList(rows), List.of());
                            }
                        }
                    };
                },
                captumSeconds);
    }
}
