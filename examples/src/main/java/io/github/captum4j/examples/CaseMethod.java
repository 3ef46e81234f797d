package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.fixtures.FixtureArgs;
import io.github.captum4j.core.internal.fixtures.FixtureBaselines;
import io.github.captum4j.core.internal.fixtures.FixtureCase;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A case's method, built from its {@code init_args} and {@code attribute_args}, ready to be called
 * on the case's inputs with an optional seed. Only the methods the library implements are built;
 * {@link #unsupportedReason(FixtureCase)} says why a case cannot be run.
 */
final class CaseMethod {

    /** The methods this runner evaluates. */
    static final Set<String> METHODS =
            Set.of(
                    "IntegratedGradients",
                    "Saliency",
                    "InputXGradient",
                    "GradientShap",
                    "NoiseTunnel");

    /** Methods NoiseTunnel may wrap here. */
    static final Set<String> NOISE_TUNNEL_BASES = Set.of("IntegratedGradients", "Saliency");

    private static final Set<String> IG_ARGS =
            Set.of("n_steps", "method", "internal_batch_size", "return_convergence_delta");
    private static final Set<String> SALIENCY_ARGS = Set.of("abs");
    private static final Set<String> GRADIENT_SHAP_ARGS =
            Set.of("n_samples", "stdevs", "return_convergence_delta");
    private static final Set<String> NOISE_TUNNEL_ARGS =
            Set.of(
                    "nt_type",
                    "nt_samples",
                    "nt_samples_batch_size",
                    "stdevs",
                    "draw_baseline_from_distrib");

    /** One call of the method: {@code seed} is used by stochastic methods only. */
    @FunctionalInterface
    interface Call {
        Attribution attribute(Inputs inputs, Target target, Integer seed);
    }

    private CaseMethod() {}

    /**
     * Why the runner cannot evaluate a case, if it cannot.
     *
     * @param c the case
     * @return the reason ("not implemented yet" for other methods), or empty if it can
     */
    static Optional<String> unsupportedReason(FixtureCase c) {
        if (MetricCases.METHODS.contains(c.method())) {
            return Optional.empty();
        }
        if (PerturbationCases.METHODS.contains(c.method())) {
            return Optional.empty();
        }
        if (LayerCases.METHODS.contains(c.method())) {
            return Optional.empty();
        }
        if (RuleCases.METHODS.contains(c.method())) {
            return Optional.empty();
        }
        if (!METHODS.contains(c.method())) {
            return Optional.of("not implemented yet");
        }
        if (c.method().equals("NoiseTunnel")) {
            String base = baseMethod(c);
            if (!NOISE_TUNNEL_BASES.contains(base)) {
                return Optional.of("not implemented yet (NoiseTunnel over " + base + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the method reads tensor baselines as a distribution to draw from.
     *
     * @param c the case
     * @return {@code true} for GradientShap and for NoiseTunnel with draw_baseline_from_distrib
     */
    static boolean baselinesAreDistribution(FixtureCase c) {
        return c.method().equals("GradientShap")
                || (c.method().equals("NoiseTunnel")
                        && c.attributeArgs().bool("draw_baseline_from_distrib", false));
    }

    /**
     * Whether the case asks for the convergence delta.
     *
     * @param c the case
     * @return {@code attribute_args.return_convergence_delta}
     */
    static boolean wantsDelta(FixtureCase c) {
        return c.attributeArgs().bool("return_convergence_delta", false);
    }

    /**
     * The case's inputs, baselines and additional forward arguments, created in a manager.
     *
     * @param c the case
     * @param manager where the tensors go
     * @return the inputs
     */
    static Inputs inputs(FixtureCase c, NDManager manager) {
        NDList x = c.inputs(manager);
        FixtureBaselines b = c.baselines(manager);
        boolean distribution = baselinesAreDistribution(c);
        Baselines baselines;
        switch (b.form()) {
            case NONE:
                baselines = Baselines.zeros();
                break;
            case NUMBER:
                baselines = Baselines.scalar(((Double) b.values().get(0)).floatValue());
                break;
            case TENSOR:
                NDArray t = (NDArray) b.values().get(0);
                baselines = distribution ? Baselines.distribution(t) : Baselines.tensors(t);
                break;
            default:
                if (distribution && b.allTensors()) {
                    baselines = Baselines.distribution(b.values().toArray(new NDArray[0]));
                } else {
                    baselines = Baselines.perInput(b.values().toArray());
                }
                break;
        }
        return Inputs.of(x)
                .withBaselines(baselines)
                .withAdditionalArgs(c.additionalForwardArgs(manager));
    }

    /**
     * Builds the case's method on a model.
     *
     * @param c the case, supported ({@link #unsupportedReason} empty)
     * @param f the model
     * @return the call
     * @throws IllegalArgumentException if an argument is malformed or not handled by this runner
     */
    static Call build(FixtureCase c, ForwardFunction f) {
        FixtureArgs init = c.initArgs();
        FixtureArgs args = c.attributeArgs();
        switch (c.method()) {
            case "IntegratedGradients":
                {
                    checkKnown(args, IG_ARGS);
                    IntegratedGradients ig = new IntegratedGradients(f, multiplyByInputs(init));
                    IntegratedGradients.Options o = igOptions(args);
                    return (in, t, seed) -> ig.attribute(in, t, o);
                }
            case "Saliency":
                {
                    checkKnown(args, SALIENCY_ARGS);
                    Saliency s = new Saliency(f);
                    Saliency.Options o = saliencyOptions(args);
                    return (in, t, seed) -> s.attribute(in, t, o);
                }
            case "InputXGradient":
                {
                    checkKnown(args, Set.of());
                    InputXGradient ixg = new InputXGradient(f);
                    return (in, t, seed) -> ixg.attribute(in, t, InputXGradient.Options.DEFAULTS);
                }
            case "GradientShap":
                {
                    checkKnown(args, GRADIENT_SHAP_ARGS);
                    GradientShap gs = new GradientShap(f, multiplyByInputs(init));
                    GradientShap.Options.Builder o = GradientShap.Options.builder();
                    args.integer("n_samples").ifPresent(o::nSamples);
                    args.numbers("stdevs").ifPresent(s -> o.stdevs(toArray(s)));
                    GradientShap.Options options = o.returnConvergenceDelta(wantsDelta(c)).build();
                    return (in, t, seed) ->
                            gs.attribute(in, t, options.toBuilder().seed(seed).build());
                }
            case "NoiseTunnel":
                return noiseTunnel(c, f);
            default:
                if (RuleCases.METHODS.contains(c.method())) {
                    return RuleCases.build(c, f);
                }
                throw new IllegalArgumentException(
                        "method must be one of " + new TreeSet<>(METHODS) + ", got " + c.method());
        }
    }

    private static Call noiseTunnel(FixtureCase c, ForwardFunction f) {
        FixtureArgs args = c.attributeArgs();
        FixtureArgs baseInit =
                c.initArgs()
                        .object("base")
                        .flatMap(b -> b.object("init_args"))
                        .orElse(new FixtureArgs(null, "init_args.base.init_args"));
        NoiseTunnel.Options.Builder o = NoiseTunnel.Options.builder();
        args.string("nt_type").ifPresent(s -> o.ntType(ntType(s)));
        args.integer("nt_samples").ifPresent(o::ntSamples);
        args.integer("nt_samples_batch_size").ifPresent(o::ntSamplesBatchSize);
        args.numbers("stdevs").ifPresent(s -> o.stdevs(toArray(s)));
        args.bool("draw_baseline_from_distrib").ifPresent(o::drawBaselineFromDistrib);
        NoiseTunnel.Options options = o.build();
        String base = baseMethod(c);
        if (base.equals("IntegratedGradients")) {
            checkKnown(args, union(NOISE_TUNNEL_ARGS, IG_ARGS));
            NoiseTunnel<IntegratedGradients.Options> nt =
                    new NoiseTunnel<>(new IntegratedGradients(f, multiplyByInputs(baseInit)));
            IntegratedGradients.Options inner = igOptions(args);
            return (in, t, seed) ->
                    nt.attribute(in, t, options.toBuilder().seed(seed).build(), inner);
        }
        checkKnown(args, union(NOISE_TUNNEL_ARGS, SALIENCY_ARGS));
        NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(new Saliency(f));
        Saliency.Options inner = saliencyOptions(args);
        return (in, t, seed) -> nt.attribute(in, t, options.toBuilder().seed(seed).build(), inner);
    }

    static String baseMethod(FixtureCase c) {
        return c.initArgs()
                .object("base")
                .flatMap(b -> b.string("method"))
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "init_args.base.method is required for NoiseTunnel, got"
                                                + " nothing"));
    }

    private static IntegratedGradients.Options igOptions(FixtureArgs args) {
        IntegratedGradients.Options.Builder o = IntegratedGradients.Options.builder();
        args.integer("n_steps").ifPresent(o::nSteps);
        args.string("method").ifPresent(s -> o.method(approximation(s)));
        args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
        args.bool("return_convergence_delta").ifPresent(o::returnConvergenceDelta);
        return o.build();
    }

    private static Saliency.Options saliencyOptions(FixtureArgs args) {
        return new Saliency.Options(args.bool("abs", Saliency.Options.DEFAULTS.abs()));
    }

    private static boolean multiplyByInputs(FixtureArgs init) {
        return init.bool("multiply_by_inputs", true);
    }

    static ApproximationMethod approximation(String captumName) {
        switch (captumName) {
            case "riemann_left":
                return ApproximationMethod.RIEMANN_LEFT;
            case "riemann_right":
                return ApproximationMethod.RIEMANN_RIGHT;
            case "riemann_middle":
                return ApproximationMethod.RIEMANN_MIDDLE;
            case "riemann_trapezoid":
                return ApproximationMethod.RIEMANN_TRAPEZOID;
            case "gausslegendre":
                return ApproximationMethod.GAUSS_LEGENDRE;
            default:
                throw new IllegalArgumentException(
                        "attribute_args.method must be riemann_left, riemann_right, riemann_middle,"
                                + " riemann_trapezoid or gausslegendre, got '"
                                + captumName
                                + "'");
        }
    }

    static NoiseTunnel.Type ntType(String captumName) {
        switch (captumName) {
            case "smoothgrad":
                return NoiseTunnel.Type.SMOOTHGRAD;
            case "smoothgrad_sq":
                return NoiseTunnel.Type.SMOOTHGRAD_SQ;
            case "vargrad":
                return NoiseTunnel.Type.VARGRAD;
            default:
                throw new IllegalArgumentException(
                        "attribute_args.nt_type must be smoothgrad, smoothgrad_sq or vargrad, got '"
                                + captumName
                                + "'");
        }
    }

    /** An argument this runner would silently ignore must not let a case pass: reject it. */
    static void checkKnown(FixtureArgs args, Set<String> known) {
        for (String key : args.keys()) {
            if (!key.equals("target") && !known.contains(key)) {
                throw new IllegalArgumentException(
                        "attribute_args."
                                + key
                                + " is not handled by the conformance runner (it knows "
                                + new TreeSet<>(known)
                                + ")");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static double[] toArray(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
