package io.github.captum4j.insights;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerPath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attribution methods an Insights page offers, by name, in display order, and the budget of
 * one request. {@link #defaults()} holds every image method of captum-attr with Captum Insights'
 * argument defaults: Captum Insights' eight (IntegratedGradients with 25 steps, Saliency,
 * GradientShap, Deconvolution, GuidedBackprop, InputXGradient, Occlusion, FeatureAblation) plus
 * KernelShap, Lime and ShapleyValueSampling (over square superpixels, 4 pixels a side by default,
 * as the demo's KernelShap), DeepLift, LRP and NoiseTunnel; {@link #withGradCam(LayerPath)} adds GuidedGradCam and
 * LayerGradCam at a layer. Methods a model cannot run (the rule-based ones need a Block model) are
 * not offered for it. A new algorithm joins by one {@link #with(InsightsMethod)}.
 *
 * <p>The budget: a request may make at most {@link #maxEvaluations()} model evaluations — the
 * method's {@link InsightsMethod.Cost} per example (wrapped methods included: NoiseTunnel costs
 * {@code ntSamples} times its base method) times the examples asked for times the models — and is
 * refused up front with the estimate otherwise.
 *
 * <pre>{@code
 * MethodRegistry methods = MethodRegistry.defaults().withGradCam(LayerPath.of("conv2"))
 *         .with(myMethod).withMaxEvaluations(50_000);
 * }</pre>
 *
 * <p>Immutable.
 */
public final class MethodRegistry {

    /** Default budget of one request, in model evaluations. */
    public static final long DEFAULT_MAX_EVALUATIONS = 20_000;

    /** Bound on steps and samples the page may ask for in one argument. */
    static final long MAX_EVALUATIONS = 1000;

    private final Map<String, InsightsMethod> methods;
    private final long maxEvaluations;

    private MethodRegistry(Map<String, InsightsMethod> methods, long maxEvaluations) {
        this.methods = Collections.unmodifiableMap(methods);
        this.maxEvaluations = maxEvaluations;
    }

    /**
     * A registry without methods, with the default budget.
     *
     * @return the empty registry
     */
    public static MethodRegistry empty() {
        return new MethodRegistry(new LinkedHashMap<>(), DEFAULT_MAX_EVALUATIONS);
    }

    /**
     * The built-in methods, in Captum Insights' order, then DeepLift, LRP and NoiseTunnel (over
     * Saliency, InputXGradient or IntegratedGradients).
     *
     * @return the registry
     */
    public static MethodRegistry defaults() {
        MethodRegistry r = empty();
        for (InsightsMethod m : BuiltInMethods.all()) {
            r = r.with(m);
        }
        return r;
    }

    /**
     * A copy with GuidedGradCam and LayerGradCam (upsampled to the input, nearest) at a layer,
     * for models with layer access (Block models).
     *
     * @param layer the layer, usually the last convolution
     * @return the new registry
     */
    public MethodRegistry withGradCam(LayerPath layer) {
        Checks.notNull(layer, "layer");
        return with(BuiltInMethods.guidedGradCam(layer)).with(BuiltInMethods.layerGradCam(layer));
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
        return new MethodRegistry(copy, maxEvaluations);
    }

    /**
     * A copy with another budget per request.
     *
     * @param value model evaluations one request may make, {@code >= 1}
     * @return the new registry
     */
    public MethodRegistry withMaxEvaluations(long value) {
        Checks.argument(value >= 1, "maxEvaluations must be >= 1, got %s", value);
        return new MethodRegistry(new LinkedHashMap<>(methods), value);
    }

    /**
     * The budget of one request.
     *
     * @return model evaluations one request may make
     */
    public long maxEvaluations() {
        return maxEvaluations;
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
     * The methods every one of the models supports.
     *
     * @param models the models
     * @return a registry of those methods, with the same budget
     */
    MethodRegistry supportedBy(List<ForwardFunction> models) {
        Map<String, InsightsMethod> kept = new LinkedHashMap<>();
        for (InsightsMethod m : methods.values()) {
            if (models.stream().allMatch(f -> m.supports().test(f))) {
                kept.put(m.name(), m);
            }
        }
        return new MethodRegistry(kept, maxEvaluations);
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
}
