package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.Deconvolution;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.GuidedGradCam;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.LRP;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.RuleModel;
import io.github.captum4j.insights.ArgumentConfig.NumberConfig;
import io.github.captum4j.insights.ArgumentConfig.StrConfig;
import io.github.captum4j.insights.ArgumentConfig.StrEnumConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The methods of {@link MethodRegistry#defaults()} and {@link MethodRegistry#withGradCam}, with
 * Captum Insights' arguments and each method's cost per example. Not API.
 */
final class BuiltInMethods {

    /** Captum Insights' {@code perturbations_per_eval} limit. */
    private static final long MAX_PERTURBATIONS_PER_EVAL = 100;

    private static final Predicate<ForwardFunction> ANY = f -> true;
    private static final Predicate<ForwardFunction> BLOCK_MODEL = f -> f instanceof RuleModel;
    private static final Predicate<ForwardFunction> LAYERS =
            f -> f instanceof RuleModel && f instanceof LayerAccess;

    private BuiltInMethods() {}

    static List<InsightsMethod> all() {
        List<InsightsMethod> m = new ArrayList<>();
        m.add(integratedGradients());
        m.add(fixed("Saliency", Saliency::new, new Saliency.Options(true), 1, ANY));
        m.add(gradientShap());
        m.add(
                fixed(
                        "Deconvolution",
                        Deconvolution::new,
                        Deconvolution.Options.DEFAULTS,
                        1,
                        BLOCK_MODEL));
        m.add(
                fixed(
                        "GuidedBackprop",
                        GuidedBackprop::new,
                        GuidedBackprop.Options.DEFAULTS,
                        1,
                        BLOCK_MODEL));
        m.add(
                fixed(
                        "InputXGradient",
                        InputXGradient::new,
                        InputXGradient.Options.DEFAULTS,
                        1,
                        ANY));
        m.add(occlusion());
        m.add(featureAblation());
        m.add(superpixels("KernelShap", KernelShap::new, 200, false));
        m.add(superpixels("Lime", Lime::new, 200, false));
        m.add(superpixels("ShapleyValueSampling", ShapleyValueSampling::new, 5, true));
        // Inputs and baselines run as one batch of two.
        m.add(fixed("DeepLift", DeepLift::new, DeepLift.Options.DEFAULTS, 2, BLOCK_MODEL));
        m.add(fixed("LRP", LRP::new, LRP.Options.DEFAULTS, 1, BLOCK_MODEL));
        m.add(noiseTunnel());
        return m;
    }

    private static InsightsMethod integratedGradients() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("nSteps", NumberConfig.integer(25, 2, MethodRegistry.MAX_EVALUATIONS));
        args.put("method", StrEnumConfig.of(ApproximationMethod.GAUSS_LEGENDRE));
        return new InsightsMethod(
                "IntegratedGradients",
                args,
                onBaselines(
                        IntegratedGradients::new,
                        (values, inputs, progress) ->
                                IntegratedGradients.Options.builder()
                                        .nSteps(values.integer("nSteps"))
                                        .method(
                                                values.enumValue(
                                                        "method", ApproximationMethod.class))
                                        .progress(progress)
                                        .build()),
                (values, shapes) -> values.integer("nSteps"),
                ANY);
    }

    private static InsightsMethod gradientShap() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("nSamples", NumberConfig.integer(5, 1, MethodRegistry.MAX_EVALUATIONS));
        args.put("stdevs", NumberConfig.real(0.0, 0.0, 1e6));
        args.put("seed", NumberConfig.integer(0, 0, Integer.MAX_VALUE));
        return new InsightsMethod(
                "GradientShap",
                args,
                (model, inputs, baselines, target, values, progress) ->
                        new GradientShap(model)
                                .attribute(
                                        inputs.withBaselines(Baselines.distribution(baselines)),
                                        target,
                                        GradientShap.Options.builder()
                                                .nSamples(values.integer("nSamples"))
                                                .stdevs(values.number("stdevs"))
                                                .seed(values.integer("seed"))
                                                .build()),
                (values, shapes) -> values.integer("nSamples"),
                ANY);
    }

    /**
     * Captum Insights' Occlusion: window shapes and strides as text ({@code "1, 4, 4"}, one per
     * input separated by {@code ;}); empty picks a window of about 1/8 of each spatial side over all
     * channels (1 along other dimensions), with half-window strides.
     */
    private static InsightsMethod occlusion() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("slidingWindowShapes", new StrConfig(""));
        args.put("strides", new StrConfig(""));
        args.put(
                "perturbationsPerEval", NumberConfig.integer(1, 1, MAX_PERTURBATIONS_PER_EVAL));
        return new InsightsMethod(
                "Occlusion",
                args,
                onBaselines(
                        Occlusion::new,
                        (values, inputs, progress) -> {
                            List<Shape> shapes = new ArrayList<>();
                            inputs.tensors().forEach(x -> shapes.add(x.getShape()));
                            List<long[]> windows = windows(values, shapes);
                            return Occlusion.Options.builder()
                                    .slidingWindowShapesPerInput(windows)
                                    .stridesPerInput(strides(values, shapes, windows))
                                    .perturbationsPerEval(values.integer("perturbationsPerEval"))
                                    .progress(progress)
                                    .build();
                        }),
                (values, shapes) -> {
                    List<long[]> windows = windows(values, shapes);
                    List<long[]> strides = strides(values, shapes, windows);
                    long positions = 1;
                    for (int i = 0; i < shapes.size(); i++) {
                        long n = 1;
                        long[] s = shapes.get(i).getShape();
                        for (int d = 1; d < s.length; d++) {
                            n *= (s[d] - windows.get(i)[d - 1]) / strides.get(i)[d - 1] + 1;
                        }
                        positions += n;
                    }
                    return positions;
                },
                ANY);
    }

    private static List<long[]> windows(ArgumentValues values, List<Shape> shapes) {
        List<long[]> given =
                tuples(values.string("slidingWindowShapes"), shapes, "slidingWindowShapes");
        if (given != null) {
            for (int i = 0; i < shapes.size(); i++) {
                long[] s = shapes.get(i).getShape();
                for (int d = 1; d < s.length; d++) {
                    Checks.argument(
                            given.get(i)[d - 1] <= s[d],
                            "slidingWindowShapes must fit in the input %s, got %s",
                            shapes.get(i),
                            Arrays.toString(given.get(i)));
                }
            }
            return given;
        }
        List<long[]> out = new ArrayList<>();
        for (Shape shape : shapes) {
            long[] s = shape.getShape();
            long[] w = new long[s.length - 1];
            Arrays.fill(w, 1);
            if (s.length == 4) { // (1, C, H, W): all channels, about 1/8 of each side
                w[0] = s[1];
                w[1] = Math.max(1, s[2] / 8);
                w[2] = Math.max(1, s[3] / 8);
            }
            out.add(w);
        }
        return out;
    }

    private static List<long[]> strides(
            ArgumentValues values, List<Shape> shapes, List<long[]> windows) {
        List<long[]> given = tuples(values.string("strides"), shapes, "strides");
        if (given != null) {
            return given;
        }
        List<long[]> out = new ArrayList<>();
        for (long[] w : windows) {
            long[] s = new long[w.length];
            for (int d = 0; d < w.length; d++) {
                s[d] = Math.max(1, w[d] / 2);
            }
            out.add(s);
        }
        return out;
    }

    /** Parses {@code "(1, 4, 4); (2)"}; one tuple may serve every input of its length. */
    private static List<long[]> tuples(String text, List<Shape> shapes, String name) {
        if (text.isBlank()) {
            return null;
        }
        String[] parts = text.split(";", -1);
        Checks.argument(
                parts.length == 1 || parts.length == shapes.size(),
                "%s must hold one tuple, or one per input (%s), got %s",
                name,
                shapes.size(),
                parts.length);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            String p = parts[parts.length == 1 ? 0 : i].replaceAll("[()\\[\\]\\s]", "");
            String[] numbers = p.split(",", -1);
            int rank = shapes.get(i).dimension() - 1;
            Checks.argument(
                    numbers.length == rank,
                    "%s must give %s values for input %s (its shape without the batch is %s),"
                            + " got '%s'",
                    name,
                    rank,
                    i,
                    shapes.get(i).slice(1),
                    p);
            long[] t = new long[rank];
            for (int d = 0; d < rank; d++) {
                try {
                    t[d] = Long.parseLong(numbers[d]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            name + " must be whole numbers separated by commas, got '" + p + "'");
                }
                Checks.argument(t[d] >= 1, "%s values must be >= 1, got '%s'", name, p);
            }
            out.add(t);
        }
        return out;
    }

    /** Captum Insights' FeatureAblation: every element its own feature. */
    private static InsightsMethod featureAblation() {
        return new InsightsMethod(
                "FeatureAblation",
                Map.of(
                        "perturbationsPerEval",
                        NumberConfig.integer(1, 1, MAX_PERTURBATIONS_PER_EVAL)),
                onBaselines(
                        FeatureAblation::new,
                        (values, inputs, progress) ->
                                FeatureAblation.Options.builder()
                                        .perturbationsPerEval(
                                                values.integer("perturbationsPerEval"))
                                        .progress(progress)
                                        .build()),
                (values, shapes) -> {
                    long n = 1;
                    for (Shape s : shapes) {
                        n += s.size();
                    }
                    return n;
                },
                ANY);
    }

    /**
     * A sampling method over superpixels, as the demo runs KernelShap: each (1, C, H, W) input in
     * squares of {@code superpixel} pixels shared by the channels (other inputs one feature per
     * element). KernelShap and Lime evaluate {@code nSamples} perturbations; ShapleyValueSampling
     * {@code nSamples} permutations of every feature.
     */
    private static <O extends Record> InsightsMethod superpixels(
            String name,
            Function<ForwardFunction, AttributionMethod<O>> factory,
            int samples,
            boolean permutations) {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("superpixel", NumberConfig.integer(4, 1, 1024));
        args.put("nSamples", NumberConfig.integer(samples, 1, MethodRegistry.MAX_EVALUATIONS));
        args.put(
                "perturbationsPerEval", NumberConfig.integer(1, 1, MAX_PERTURBATIONS_PER_EVAL));
        args.put("seed", NumberConfig.integer(0, 0, Integer.MAX_VALUE));
        return new InsightsMethod(
                name,
                args,
                onBaselines(
                        factory,
                        (values, inputs, progress) -> {
                            List<NDArray> mask =
                                    superpixelMask(inputs.tensors(), values.integer("superpixel"));
                            int n = values.integer("nSamples");
                            int per = values.integer("perturbationsPerEval");
                            int seed = values.integer("seed");
                            @SuppressWarnings("unchecked")
                            O o =
                                    permutations
                                            ? (O)
                                                    ShapleyValueSampling.Options.builder()
                                                            .featureMask(mask)
                                                            .nSamples(n)
                                                            .perturbationsPerEval(per)
                                                            .seed(seed)
                                                            .progress(progress)
                                                            .build()
                                            : (O)
                                                    Lime.Options.builder()
                                                            .featureMask(mask)
                                                            .nSamples(n)
                                                            .perturbationsPerEval(per)
                                                            .seed(seed)
                                                            .progress(progress)
                                                            .build();
                            return o;
                        }),
                (values, shapes) -> {
                    long n = values.integer("nSamples");
                    long features = superpixelCount(shapes, values.integer("superpixel"));
                    return permutations ? n * (features + 1) : n + 1;
                },
                ANY);
    }

    /** Superpixel ids per input (batch 1), continuing across inputs. */
    static List<NDArray> superpixelMask(List<NDArray> inputs, int side) {
        List<NDArray> masks = new ArrayList<>();
        long next = 0;
        for (NDArray x : inputs) {
            long[] s = x.getShape().getShape();
            long[] ids = new long[Math.toIntExact(x.getShape().size() / s[0])];
            if (s.length == 4) {
                long across = (s[3] + side - 1) / side;
                for (int i = 0; i < ids.length; i++) {
                    long h = (i / s[3]) % s[2];
                    long w = i % s[3];
                    ids[i] = next + (h / side) * across + w / side;
                }
            } else {
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = next + i;
                }
            }
            next += superpixelCount(List.of(x.getShape()), side);
            masks.add(x.getManager().create(ids, new Shape(1).addAll(x.getShape().slice(1))));
        }
        return masks;
    }

    private static long superpixelCount(List<Shape> shapes, int side) {
        long n = 0;
        for (Shape shape : shapes) {
            long[] s = shape.getShape();
            n +=
                    s.length == 4
                            ? ((s[2] + side - 1) / side) * ((s[3] + side - 1) / side)
                            : shape.size() / s[0];
        }
        return n;
    }

    /** The smoothed methods NoiseTunnel offers. */
    enum SmoothedMethod {
        Saliency,
        InputXGradient,
        IntegratedGradients
    }

    private static InsightsMethod noiseTunnel() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("base", StrEnumConfig.of(SmoothedMethod.Saliency));
        args.put("ntType", StrEnumConfig.of(NoiseTunnel.Type.SMOOTHGRAD));
        args.put("ntSamples", NumberConfig.integer(5, 1, 200));
        args.put("stdevs", NumberConfig.real(1.0, 0.0, 1e6));
        args.put("seed", NumberConfig.integer(0, 0, Integer.MAX_VALUE));
        return new InsightsMethod(
                "NoiseTunnel",
                args,
                (model, inputs, baselines, target, values, progress) -> {
                    NoiseTunnel.Options nt =
                            NoiseTunnel.Options.builder()
                                    .ntType(values.enumValue("ntType", NoiseTunnel.Type.class))
                                    .ntSamples(values.integer("ntSamples"))
                                    .stdevs(values.number("stdevs"))
                                    .seed(values.integer("seed"))
                                    .build();
                    AttributionMethod<?> base =
                            switch (values.enumValue("base", SmoothedMethod.class)) {
                                case Saliency -> new Saliency(model);
                                case InputXGradient -> new InputXGradient(model);
                                case IntegratedGradients -> new IntegratedGradients(model);
                            };
                    NoiseTunnel<?> tunnel = new NoiseTunnel<>(base);
                    return tunnel.attribute(
                            InsightsMethod.withBaselines(tunnel, inputs, baselines), target, nt);
                },
                // The wrapped method runs once per sample: IG with its default steps.
                (values, shapes) ->
                        (long) values.integer("ntSamples")
                                * (values.enumValue("base", SmoothedMethod.class)
                                                == SmoothedMethod.IntegratedGradients
                                        ? IntegratedGradients.Options.DEFAULTS.nSteps()
                                        : 1),
                ANY);
    }

    static InsightsMethod guidedGradCam(LayerPath layer) {
        return new InsightsMethod(
                "GuidedGradCam",
                Map.of(),
                (model, inputs, baselines, target, values, progress) ->
                        new GuidedGradCam((LayerAccess) model, layer)
                                .attribute(inputs, target, GuidedGradCam.Options.DEFAULTS),
                (values, shapes) -> 2,
                LAYERS);
    }

    /** LayerGradCam upsampled to each input's trailing two dimensions, as Captum's tutorials. */
    static InsightsMethod layerGradCam(LayerPath layer) {
        return new InsightsMethod(
                "LayerGradCam",
                Map.of(),
                (model, inputs, baselines, target, values, progress) -> {
                    try (Attribution a =
                            new LayerGradCam((LayerAccess) model, layer)
                                    .attribute(inputs, target)) {
                        NDArray x = inputs.tensors().get(0);
                        long[] s = x.getShape().getShape();
                        NDArray up =
                                LayerAttribution.interpolate(
                                        a.attribution(0), s[s.length - 2], s[s.length - 1]);
                        return new Attribution(
                                "LayerGradCam, upsampled", a.options(), new NDList(up), null);
                    }
                },
                (values, shapes) -> 1,
                LAYERS);
    }

    /** A method with fixed options and a fixed cost per example. */
    private static <O extends Record> InsightsMethod fixed(
            String name,
            Function<ForwardFunction, AttributionMethod<O>> factory,
            O options,
            long cost,
            Predicate<ForwardFunction> supports) {
        return new InsightsMethod(
                name,
                Map.of(),
                onBaselines(factory, (values, inputs, progress) -> options),
                (values, shapes) -> cost,
                supports);
    }

    /** The options of one call, from the form's values, the call's inputs and its listener. */
    @FunctionalInterface
    private interface CallOptions<O extends Record> {
        O of(ArgumentValues values, Inputs inputs, ProgressListener progress);
    }

    /**
     * Runs a method built on the model with options from the form, on the features' baselines when
     * the method reads baselines ({@link InsightsMethod#withBaselines}).
     *
     * @param factory builds the method on the model
     * @param options the options of one call
     * @param <O> the method's options
     * @return the attributor
     */
    private static <O extends Record> InsightsMethod.Attributor onBaselines(
            Function<ForwardFunction, AttributionMethod<O>> factory, CallOptions<O> options) {
        return (model, inputs, baselines, target, values, progress) -> {
            AttributionMethod<O> m = factory.apply(model);
            return m.attribute(
                    InsightsMethod.withBaselines(m, inputs, baselines),
                    target,
                    options.of(values, inputs, progress));
        };
    }
}
