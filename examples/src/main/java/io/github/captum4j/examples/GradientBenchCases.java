package io.github.captum4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.Quadrature;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The gradient rows of the {@code bench} subcommand. The raw counterpart of each is one plain DJL
 * forward + backward (inside a {@link GradientCollector}) of the rows the method evaluates. The
 * reference's times are Captum 0.8.0 at 2 threads from the interleaved run of PERF-ANCHORS
 * (2026-12-02); {@code tools/bench_captum.py} measures them again where Captum is importable.
 */
final class GradientBenchCases {

    private static final Shape MNIST_8 = new Shape(8, 1, 28, 28);
    private static final Shape SMALL_1 = new Shape(1, 3, 64, 64);
    private static final Shape SMALL_8 = new Shape(8, 3, 64, 64);
    private static final Shape IMAGENET_1 = new Shape(1, 3, 224, 224);

    private GradientBenchCases() {}

    /**
     * The gradient rows, in the order they are measured.
     *
     * @param cnn small_cnn as a Block model
     * @param cnnTs small_cnn as TorchScript
     * @param tiny tiny_resnet as a Block model
     * @param tinyTs tiny_resnet as TorchScript
     * @param resnet18 torchvision's resnet18 as a Block model
     * @return the rows
     */
    static List<BenchCase> all(
            ImportedModel cnn,
            TorchScriptModel cnnTs,
            ImportedModel tiny,
            TorchScriptModel tinyTs,
            ImportedModel resnet18) {
        ForwardFunction r18 = resnet18.forwardFunction();
        ForwardFunction t = tiny.forwardFunction();
        List<BenchCase> cases = new ArrayList<>();
        cases.add(ig("IG small_cnn B=8 nSteps=50 [block]", cnn.forwardFunction(), MNIST_8, 50, 0));
        cases.add(ig("IG small_cnn B=8 nSteps=50 [torchscript]", cnnTs, MNIST_8, 50, 0));
        cases.add(ig("IG tiny_resnet B=1 nSteps=50 [block]", t, SMALL_1, 50, 0.0406));
        cases.add(ig("IG tiny_resnet B=1 nSteps=50 [torchscript]", tinyTs, SMALL_1, 50, 0.0406));
        cases.add(ig("IG tiny_resnet B=8 nSteps=50 [block]", t, SMALL_8, 50, 0.267));
        cases.add(saliency("Saliency tiny_resnet B=1 [block]", t, SMALL_1, 0.00476));
        cases.add(ig("IG resnet18 3x224x224 B=1 nSteps=50 [block]", r18, IMAGENET_1, 50, 3.87));
        cases.add(saliency("Saliency resnet18 3x224x224 B=1 [block]", r18, IMAGENET_1, 0));
        cases.add(
                layerGradCam(
                        "LayerGradCam(layer4) tiny_resnet B=1 [block]",
                        tiny,
                        "layer4",
                        SMALL_1,
                        0.00319));
        cases.add(
                ruleCase(
                        "DeepLift tiny_resnet B=1 [block]",
                        t,
                        new DeepLift(t),
                        SMALL_1,
                        2,
                        0.0140));
        cases.add(noiseTunnelIg("NoiseTunnel(IG) smoothgrad 10 small_cnn B=1 [block]", cnn));
        cases.add(
                layerGradCam(
                        "LayerGradCam(layer3.1.conv2) resnet18 B=1 [block]",
                        resnet18,
                        "layer3.1.conv2",
                        IMAGENET_1,
                        0));
        cases.add(
                layerIg(
                        "LayerIG(conv1) resnet18 B=1 nSteps=50 [block]",
                        resnet18,
                        "conv1",
                        IMAGENET_1,
                        50));
        cases.add(
                ruleCase(
                        "GuidedBackprop resnet18 3x224x224 B=1 [block]",
                        r18,
                        new GuidedBackprop(r18),
                        IMAGENET_1,
                        1,
                        0.0752));
        cases.add(
                ruleCase(
                        "DeepLift resnet18 3x224x224 B=1 [block]",
                        r18,
                        new DeepLift(r18),
                        IMAGENET_1,
                        2,
                        0.163));
        return cases;
    }

    private static BenchCase ig(
            String name, ForwardFunction f, Shape shape, int nSteps, double captum) {
        IntegratedGradients ig = new IntegratedGradients(f);
        IntegratedGradients.Options options =
                IntegratedGradients.Options.builder().nSteps(nSteps).build();
        Quadrature q = options.method().quadrature(nSteps);
        return row(
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
                },
                captum);
    }

    private static BenchCase saliency(String name, ForwardFunction f, Shape shape, double captum) {
        Saliency saliency = new Saliency(f);
        return row(
                name, shape, f, in -> saliency.attribute(in, Target.index(3)), (x, m) -> x, captum);
    }

    /**
     * NoiseTunnel(IntegratedGradients), SmoothGrad with 10 samples of 50 steps on one MNIST-shaped
     * example: its raw pass is forward + backward of the 500 rows.
     */
    private static BenchCase noiseTunnelIg(String name, ImportedModel cnn) {
        ForwardFunction f = cnn.forwardFunction();
        NoiseTunnel<IntegratedGradients.Options> nt =
                new NoiseTunnel<>(new IntegratedGradients(f));
        NoiseTunnel.Options options =
                NoiseTunnel.Options.builder()
                        .ntType(NoiseTunnel.Type.SMOOTHGRAD)
                        .ntSamples(10)
                        .stdevs(0.1)
                        .build();
        IntegratedGradients.Options ig = IntegratedGradients.Options.builder().nSteps(50).build();
        return row(
                name,
                new Shape(1, 1, 28, 28),
                f,
                in -> nt.attribute(in, Target.index(3), options, ig),
                (x, m) -> x.repeat(0, 500),
                0.0397);
    }

    /** LayerGradCam: its raw pass is one forward + backward of the batch. */
    private static BenchCase layerGradCam(
            String name, LayerAccess model, String layer, Shape shape, double captum) {
        LayerGradCam gradCam = new LayerGradCam(model, LayerPath.of(layer));
        return row(
                name,
                shape,
                model.forwardFunction(),
                in -> gradCam.attribute(in, Target.index(3)),
                (x, m) -> x,
                captum);
    }

    /** LayerIntegratedGradients: its raw pass is forward + backward of the nSteps copies. */
    private static BenchCase layerIg(
            String name, LayerAccess model, String layer, Shape shape, int nSteps) {
        LayerIntegratedGradients lig = new LayerIntegratedGradients(model, LayerPath.of(layer));
        LayerIntegratedGradients.Options options =
                LayerIntegratedGradients.Options.builder().nSteps(nSteps).build();
        return row(
                name,
                shape,
                model.forwardFunction(),
                in -> lig.attribute(in, Target.index(3), options),
                (x, m) -> x.repeat(0, nSteps),
                0);
    }

    /**
     * A rule-based method (default options): its raw pass is one forward + backward of {@code
     * copies} batches (DeepLift runs inputs and baselines together).
     */
    static BenchCase ruleCase(
            String name,
            ForwardFunction f,
            AttributionMethod<?> method,
            Shape shape,
            int copies,
            double captum) {
        return row(
                name,
                shape,
                f,
                in -> method.attribute(in, Target.index(3)),
                (x, m) -> copies == 1 ? x : x.concat(x.zerosLike(), 0),
                captum);
    }

    /** A row whose raw pass is one forward + backward of {@code rows(x)}, built untimed. */
    private static BenchCase row(
            String name,
            Shape shape,
            ForwardFunction f,
            Function<Inputs, Attribution> attribution,
            BiFunction<NDArray, NDManager, NDArray> rows,
            double captumSeconds) {
        return new BenchCase(
                name,
                shape,
                attribution,
                (x, m) -> {
                    NDArray input = rows.apply(x, m);
                    return () -> {
                        try (NDManager pass = m.newSubManager()) {
                            pass.tempAttachAll(input);
                            rawForwardBackward(f, input);
                        }
                    };
                },
                captumSeconds);
    }

    /**
     * Plain DJL: one forward with the input as autograd leaf inside a {@link GradientCollector},
     * one backward of the target. Nothing of captum4j runs here.
     */
    private static void rawForwardBackward(ForwardFunction f, NDArray x) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            NDArray out = f.forward(new NDList(leaf), List.of());
            collector.backward(out.get(":, 3").sum());
            leaf.getGradient().toFloatArray(); // wait for the result as attribute() does
        }
    }
}
