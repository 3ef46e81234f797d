package io.github.captum4j.insights;

import ai.djl.ndarray.NDList;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An attribution method the Insights page offers: its name, the arguments the page lets the user
 * set (Captum's {@code ATTRIBUTION_METHOD_CONFIG} entry) and how to run it. Methods are collected
 * in a {@link MethodRegistry}.
 *
 * <pre>{@code
 * InsightsMethod saliency = new InsightsMethod("Saliency",
 *         Map.of("abs", new ArgumentConfig.StrEnumConfig("true", List.of("true", "false"))),
 *         (model, inputs, baselines, target, args) -> new Saliency(model).attribute(inputs, target,
 *                 new Saliency.Options(Boolean.parseBoolean(args.string("abs")))));
 * }</pre>
 *
 * @param name the name shown and sent by the page, e.g. {@code "IntegratedGradients"}
 * @param arguments the arguments by name, in display order
 * @param attributor runs the method
 */
public record InsightsMethod(
        String name, Map<String, ArgumentConfig> arguments, Attributor attributor) {

    /**
     * Validates and copies the components.
     *
     * @param name the name shown and sent by the page, e.g. {@code "IntegratedGradients"}
     * @param arguments the arguments by name, in display order
     * @param attributor runs the method
     */
    public InsightsMethod {
        Checks.notNull(name, "name");
        Checks.argument(!name.isBlank(), "name must not be blank");
        Checks.notNull(arguments, "arguments");
        Checks.notNull(attributor, "attributor");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /** Runs a method on one example. */
    @FunctionalInterface
    public interface Attributor {
        /**
         * Computes the attributions of one example.
         *
         * @param model the model
         * @param inputs the transformed inputs (batch 1) and additional arguments, zero baselines
         * @param baselines one baseline per input, from the features' baseline transforms
         * @param target the target (the predicted or chosen class, or none)
         * @param arguments the checked argument values
         * @return one attribution per input
         */
        Attribution attribute(
                ForwardFunction model,
                Inputs inputs,
                NDList baselines,
                Target target,
                ArgumentValues arguments);
    }

    /**
     * The inputs with the features' baselines if the method reads baselines, else unchanged.
     *
     * @param method the method
     * @param inputs the inputs
     * @param baselines one baseline per input
     * @return the inputs to pass to {@code method}
     */
    public static Inputs withBaselines(
            AttributionMethod<?> method, Inputs inputs, NDList baselines) {
        return method.usesBaselines() ? inputs.withBaselines(Baselines.tensors(baselines)) : inputs;
    }
}
