package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.GuidedGradCam;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.metrics.ExplanationFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The methods the {@code demo} subcommand explains its model with, and their options. */
final class ShapesDemoMethods {

    /** Seed of every sampling method. */
    static final int SEED = 42;

    /** A method of the demo: its name and how to build its explanation on a model. */
    record Method(String name, Function<ForwardFunction, ExplanationFunction> build) {}

    private ShapesDemoMethods() {}

    /**
     * Every image method of the demo, in the report's order.
     *
     * @return the methods
     */
    static List<Method> all() {
        List<Method> m = new ArrayList<>();
        m.add(new Method("Saliency", f -> new Saliency(f)::attribute));
        m.add(new Method("InputXGradient", f -> new InputXGradient(f)::attribute));
        m.add(
                method(
                        "IntegratedGradients",
                        IntegratedGradients::new,
                        IntegratedGradients.Options.builder().nSteps(32).build()));
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
                            Shape references = new Shape(2, 1, ShapesTask.SIZE, ShapesTask.SIZE);
                            return (in, t) ->
                                    gs.attribute(
                                            in.withBaselines(
                                                    Baselines.distribution(
                                                            in.manager().zeros(references))),
                                            t,
                                            o);
                        }));
        m.add(
                method(
                        "NoiseTunnel(Saliency) smoothgrad",
                        f -> new NoiseTunnel<>(new Saliency(f)),
                        NoiseTunnel.Options.builder()
                                .ntSamples(16)
                                .stdevs(0.15)
                                .seed(SEED)
                                .build()));
        m.add(new Method("DeepLift", f -> new DeepLift(f)::attribute));
        m.add(new Method("GuidedBackprop", f -> new GuidedBackprop(f)::attribute));
        m.add(
                new Method(
                        "GuidedGradCam(conv2)",
                        f -> new GuidedGradCam((LayerAccess) f, LayerPath.of("conv2"))::attribute));
        m.add(new Method("LayerGradCam(conv2), upsampled", ShapesDemoMethods::upsampledGradCam));
        m.add(
                method(
                        "Occlusion 4x4, stride 2",
                        Occlusion::new,
                        Occlusion.Options.builder()
                                .slidingWindowShapes(1, 4, 4)
                                .strides(1, 2, 2)
                                .perturbationsPerEval(64)
                                .build()));
        m.add(
                method(
                        "FeatureAblation (pixels)",
                        FeatureAblation::new,
                        FeatureAblation.Options.builder().perturbationsPerEval(128).build()));
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

    /** A method called with fixed options. */
    private static <O extends Record> Method method(
            String name, Function<ForwardFunction, AttributionMethod<O>> create, O options) {
        return new Method(
                name,
                f -> {
                    AttributionMethod<O> method = create.apply(f);
                    return (in, t) -> method.attribute(in, t, options);
                });
    }

    /** LayerGradCam at conv2, upsampled to the image as Captum's {@code interpolate} does. */
    private static ExplanationFunction upsampledGradCam(ForwardFunction f) {
        LayerGradCam gradCam = new LayerGradCam((LayerAccess) f, LayerPath.of("conv2"));
        return (in, t) -> {
            try (Attribution a = gradCam.attribute(in, t)) {
                NDArray up =
                        LayerAttribution.interpolate(
                                a.attribution(0), ShapesTask.SIZE, ShapesTask.SIZE);
                return new Attribution(
                        "LayerGradCam, upsampled", a.options(), new NDList(up), null);
            }
        };
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
}
