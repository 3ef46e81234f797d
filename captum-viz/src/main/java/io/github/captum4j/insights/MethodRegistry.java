package io.github.captum4j.insights;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.insights.ArgumentConfig.NumberConfig;
import io.github.captum4j.insights.ArgumentConfig.StrEnumConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attribution methods an Insights page offers, by name, in display order. {@link #defaults()}
 * holds the methods of captum-attr with Captum Insights' argument defaults (Integrated Gradients
 * with 25 steps); a new algorithm joins by one {@link #with(InsightsMethod)} — in {@code
 * defaults()} for the library's own, or by the application for its own methods.
 *
 * <pre>{@code
 * MethodRegistry methods = MethodRegistry.defaults().with(myMethod);
 * }</pre>
 *
 * <p>Immutable.
 */
public final class MethodRegistry {

    /** Bound on steps and samples the page may ask for, so one request stays bounded. */
    static final long MAX_EVALUATIONS = 1000;

    private final Map<String, InsightsMethod> methods;

    private MethodRegistry(Map<String, InsightsMethod> methods) {
        this.methods = Collections.unmodifiableMap(methods);
    }

    /**
     * A registry without methods.
     *
     * @return the empty registry
     */
    public static MethodRegistry empty() {
        return new MethodRegistry(new LinkedHashMap<>());
    }

    /**
     * The built-in methods: IntegratedGradients, Saliency, InputXGradient, GradientShap and
     * NoiseTunnel (over Saliency, InputXGradient or IntegratedGradients).
     *
     * @return the registry
     */
    public static MethodRegistry defaults() {
        return empty().with(integratedGradients())
                .with(simple("Saliency", Saliency::new, new Saliency.Options(true)))
                .with(
                        simple(
                                "InputXGradient",
                                InputXGradient::new,
                                InputXGradient.Options.DEFAULTS))
                .with(gradientShap())
                .with(noiseTunnel());
    }

    /**
     * A copy with one more method (replacing one of the same name).
     *
     * @param method the method
     * @return the new registry
     */
    public MethodRegistry with(InsightsMethod method) {
        Checks.notNull(method, "method");
        Map<String, InsightsMethod> copy = new LinkedHashMap<>(methods);
        copy.put(method.name(), method);
        return new MethodRegistry(copy);
    }

    /**
     * The method names, in display order.
     *
     * @return the names
     */
    public List<String> names() {
        return new ArrayList<>(methods.keySet());
    }

    /**
     * A method by name.
     *
     * @param name the name
     * @return the method, if registered
     */
    public Optional<InsightsMethod> get(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /**
     * A method by name, for a request.
     *
     * @param name the name
     * @return the method
     * @throws IllegalArgumentException naming the methods available
     */
    InsightsMethod require(String name) {
        InsightsMethod m = methods.get(name);
        Checks.argument(m != null, "attributionMethod must be one of %s, got '%s'", names(), name);
        return m;
    }

    private static InsightsMethod integratedGradients() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("nSteps", NumberConfig.integer(25, 2, MAX_EVALUATIONS));
        args.put("method", StrEnumConfig.of(ApproximationMethod.GAUSS_LEGENDRE));
        return new InsightsMethod(
                "IntegratedGradients",
                args,
                (model, inputs, baselines, target, values) -> {
                    IntegratedGradients ig = new IntegratedGradients(model);
                    return ig.attribute(
                            InsightsMethod.withBaselines(ig, inputs, baselines),
                            target,
                            IntegratedGradients.Options.builder()
                                    .nSteps(values.integer("nSteps"))
                                    .method(values.enumValue("method", ApproximationMethod.class))
                                    .build());
                });
    }

    private static InsightsMethod gradientShap() {
        Map<String, ArgumentConfig> args = new LinkedHashMap<>();
        args.put("nSamples", NumberConfig.integer(5, 1, MAX_EVALUATIONS));
        args.put("stdevs", NumberConfig.real(0.0, 0.0, 1e6));
        args.put("seed", NumberConfig.integer(0, 0, Integer.MAX_VALUE));
        return new InsightsMethod(
                "GradientShap",
                args,
                (model, inputs, baselines, target, values) ->
                        new GradientShap(model)
                                .attribute(
                                        inputs.withBaselines(Baselines.distribution(baselines)),
                                        target,
                                        GradientShap.Options.builder()
                                                .nSamples(values.integer("nSamples"))
                                                .stdevs(values.number("stdevs"))
                                                .seed(values.integer("seed"))
                                                .build()));
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
                (model, inputs, baselines, target, values) -> {
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
                });
    }

    private static <O extends Record> InsightsMethod simple(
            String name,
            java.util.function.Function<ForwardFunction, AttributionMethod<O>> factory,
            O options) {
        return new InsightsMethod(
                name,
                Map.of(),
                (model, inputs, baselines, target, values) -> {
                    AttributionMethod<O> m = factory.apply(model);
                    return m.attribute(
                            InsightsMethod.withBaselines(m, inputs, baselines), target, options);
                });
    }
}
