package io.github.captum4j.insights;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An attribution method the Insights page offers: its name, the arguments the page lets the user
 * set (Captum's {@code ATTRIBUTION_METHOD_CONFIG} entry), how to run it, what one example costs
 * and which models it works on. Methods are collected in a {@link MethodRegistry}, whose budget
 * bounds the work of one request with the {@link Cost}s.
 *
 * <pre>{@code
 * InsightsMethod saliency = new InsightsMethod("Saliency",
 *         Map.of("abs", new ArgumentConfig.StrEnumConfig("true", List.of("true", "false"))),
 *         (model, inputs, baselines, target, args, progress) -> new Saliency(model).attribute(
 *                 inputs, target, new Saliency.Options(Boolean.parseBoolean(args.string("abs")))),
 *         (args, shapes) -> 1,
 *         model -> true);
 * }</pre>
 *
 * @param name the name shown and sent by the page, e.g. {@code "IntegratedGradients"}
 * @param arguments the arguments by name, in display order
 * @param attributor runs the method
 * @param cost the model evaluations (rows through the model, forward or forward + backward) one
 *     example takes with given arguments
 * @param supports whether the method works on a model (e.g. rule-based methods need a Block
 *     model); methods no model supports are not offered
 */
public record InsightsMethod(
        String name,
        Map<String, ArgumentConfig> arguments,
        Attributor attributor,
        Cost cost,
        Predicate<ForwardFunction> supports) {

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
        Checks.notNull(cost, "cost");
        Checks.notNull(supports, "supports");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /**
     * A method that costs one evaluation per example and works on every model.
     *
     * @param name the name
     * @param arguments the arguments by name, in display order
     * @param attributor runs the method
     */
    public InsightsMethod(
            String name, Map<String, ArgumentConfig> arguments, Attributor attributor) {
        this(name, arguments, attributor, (args, shapes) -> 1, model -> true);
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
         * @param progress receives the call's progress, for methods that report it
         * @return one attribution per input
         */
        Attribution attribute(
                ForwardFunction model,
                Inputs inputs,
                NDList baselines,
                Target target,
                ArgumentValues arguments,
                ProgressListener progress);
    }

    /** What one example costs. */
    @FunctionalInterface
    public interface Cost {
        /**
         * Model evaluations for one example.
         *
         * @param arguments the checked argument values
         * @param inputShapes the shape of each transformed input, batch 1
         * @return rows through the model, at least 1
         */
        long evaluations(ArgumentValues arguments, List<Shape> inputShapes);
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
