package io.github.captum4j.conformance.families;

import com.google.gson.JsonElement;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.attr.SamplingOptions;
import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.core.approx.ApproximationMethod;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Captum's argument values as captum4j types, shared by several families: approximation methods,
 * NoiseTunnel types, neuron selectors and the options of the two methods NoiseTunnel wraps. Not a
 * family.
 */
final class CaptumArgs {

    /** The path-integral arguments of IntegratedGradients and its layer variants. */
    static final Set<String> PATH_ARGS =
            Set.of("n_steps", "method", "internal_batch_size", "return_convergence_delta");

    /** IntegratedGradients' {@code attribute} arguments. */
    static final Set<String> IG_ARGS = PATH_ARGS;

    /** Saliency's {@code attribute} arguments. */
    static final Set<String> SALIENCY_ARGS = Set.of("abs");

    private CaptumArgs() {}

    /**
     * A layer method's {@code attribute} arguments: the given keys plus {@code
     * attribute_to_layer_input}.
     *
     * @param keys the method's own keys
     * @return the known keys
     */
    static Set<String> layerArgs(String... keys) {
        return plus(Set.of(keys), "attribute_to_layer_input");
    }

    /**
     * A layer method's {@code attribute} arguments: the given keys plus {@code
     * attribute_to_layer_input}.
     *
     * @param keys the method's own keys
     * @return the known keys
     */
    static Set<String> layerArgs(Set<String> keys) {
        return plus(keys, "attribute_to_layer_input");
    }

    /**
     * A neuron method's {@code attribute} arguments: the given keys plus {@code neuron_selector}
     * and {@code attribute_to_neuron_input}.
     *
     * @param keys the method's own keys
     * @return the known keys
     */
    static Set<String> neuronArgs(String... keys) {
        return plus(plus(Set.of(keys), "neuron_selector"), "attribute_to_neuron_input");
    }

    private static Set<String> plus(Set<String> keys, String key) {
        Set<String> out = new TreeSet<>(keys);
        out.add(key);
        return out;
    }

    /**
     * Captum's {@code multiply_by_inputs} constructor flag (default true).
     *
     * @param init the constructor arguments
     * @return the flag
     */
    static boolean multiplyByInputs(CaseArgs init) {
        return init.bool("multiply_by_inputs", true);
    }

    /**
     * Reads Captum's path arguments ({@code n_steps}, {@code method}, {@code internal_batch_size})
     * into the builder of a path method's options; absent arguments keep the builder's values.
     *
     * @param args the arguments
     * @param builder the builder
     * @param <B> the builder's type
     * @return {@code builder}
     */
    static <B extends PathOptions.Builder<B>> B pathArgs(CaseArgs args, B builder) {
        args.integer("n_steps").ifPresent(builder::nSteps);
        args.string("method").ifPresent(s -> builder.method(approximation(s)));
        args.integer("internal_batch_size").ifPresent(builder::internalBatchSize);
        return builder;
    }

    /**
     * Reads Captum's sampling arguments ({@code n_samples}, {@code stdevs}) into the builder of a
     * GradientShap-family method's options; absent arguments keep the builder's values.
     *
     * @param args the arguments
     * @param builder the builder
     * @param <B> the builder's type
     * @param <O> the options' type
     * @return {@code builder}
     */
    static <B extends SamplingOptions.Builder<B, O>, O> B samplingArgs(CaseArgs args, B builder) {
        args.integer("n_samples").ifPresent(builder::nSamples);
        args.numbers("stdevs").ifPresent(s -> builder.stdevs(Checks.doubles(s)));
        return builder;
    }

    /**
     * IntegratedGradients' options from {@code attribute_args}.
     *
     * @param args the arguments
     * @return the options
     */
    static IntegratedGradients.Options igOptions(CaseArgs args) {
        IntegratedGradients.Options.Builder o =
                pathArgs(args, IntegratedGradients.Options.builder());
        args.bool("return_convergence_delta").ifPresent(o::returnConvergenceDelta);
        return o.build();
    }

    /**
     * Saliency's options from {@code attribute_args}.
     *
     * @param args the arguments
     * @return the options
     */
    static Saliency.Options saliencyOptions(CaseArgs args) {
        return new Saliency.Options(args.bool("abs", Saliency.Options.DEFAULTS.abs()));
    }

    /**
     * Captum's {@code method} name of a quadrature.
     *
     * @param captumName e.g. {@code gausslegendre}
     * @return the method
     */
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

    /**
     * Captum's {@code nt_type}.
     *
     * @param captumName e.g. {@code smoothgrad_sq}
     * @return the type
     */
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

    /**
     * Captum's {@code neuron_selector}: one int or an index list (without the batch dimension).
     *
     * @param args the arguments
     * @return the selector
     */
    static NeuronSelector neuronSelector(CaseArgs args) {
        Optional<int[]> many =
                args.raw("neuron_selector").filter(JsonElement::isJsonArray).isPresent()
                        ? args.integers("neuron_selector")
                        : args.integer("neuron_selector").map(i -> new int[] {i});
        return NeuronSelector.index(
                many.orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "attribute_args.neuron_selector is required")));
    }

    /**
     * Captum's {@code interpolate_mode} (PyTorch's {@code F.interpolate} mode name).
     *
     * @param mode e.g. {@code "bilinear"}, {@code "nearest-exact"}
     * @return the mode
     * @throws IllegalArgumentException naming the modes for any other name
     */
    static Interpolation interpolation(String mode) {
        for (Interpolation i : Interpolation.values()) {
            if (interpolationName(i).equals(mode)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "interpolate_mode must be nearest, nearest-exact, linear, bilinear, bicubic,"
                        + " trilinear or area, got '"
                        + mode
                        + "'");
    }

    /**
     * PyTorch's name of a mode.
     *
     * @param mode the mode
     * @return e.g. {@code "nearest-exact"}
     */
    static String interpolationName(Interpolation mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
