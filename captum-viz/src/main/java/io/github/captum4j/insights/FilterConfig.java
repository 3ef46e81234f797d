package io.github.captum4j.insights;

import io.github.captum4j.core.internal.Checks;

import org.immutables.value.Value;

import java.util.List;
import java.util.Map;

/**
 * What the Insights page asks for (Captum's {@code FilterConfig}): the attribution method and its
 * arguments, which predictions to show and how many examples.
 *
 * <pre>{@code
 * FilterConfig config = FilterConfig.DEFAULTS.toBuilder()
 *         .attributionMethod("Saliency").prediction(FilterConfig.Prediction.INCORRECT)
 *         .classes(List.of("cat")).build();
 * }</pre>
 *
 * @param attributionMethod the method's name in the {@link MethodRegistry} (default
 *     "IntegratedGradients")
 * @param attributionArguments argument values by name; missing ones take their defaults (default
 *     none)
 * @param prediction which predictions to keep (default {@link Prediction#ALL})
 * @param classes keep only examples whose top predicted class is one of these labels; empty keeps
 *     all (default)
 * @param numExamples how many examples to show, in [1, {@link #MAX_EXAMPLES}] (default 4, Captum's)
 */
@Value.Builder
public record FilterConfig(
        String attributionMethod,
        Map<String, Object> attributionArguments,
        Prediction prediction,
        List<String> classes,
        int numExamples) {

    /** Most examples one request may ask for. */
    public static final int MAX_EXAMPLES = 64;

    /** Captum's defaults. */
    public static final FilterConfig DEFAULTS =
            new FilterConfig("IntegratedGradients", Map.of(), Prediction.ALL, List.of(), 4);

    /** Which predictions to keep (Captum's {@code prediction}: "all", "correct", "incorrect"). */
    public enum Prediction {
        /** Every example. */
        ALL,
        /** Examples whose top prediction is their label. */
        CORRECT,
        /** Examples whose top prediction is not their label. */
        INCORRECT
    }

    /**
     * Validates and copies the components.
     *
     * @param attributionMethod the method's name in the {@link MethodRegistry} (default
     *     "IntegratedGradients")
     * @param attributionArguments argument values by name; missing ones take their defaults
     *     (default none)
     * @param prediction which predictions to keep (default {@link Prediction#ALL})
     * @param classes keep only examples whose top predicted class is one of these labels; empty
     *     keeps all (default)
     * @param numExamples how many examples to show, in [1, {@link #MAX_EXAMPLES}] (default 4,
     *     Captum's)
     */
    public FilterConfig {
        Checks.notNull(attributionMethod, "attributionMethod");
        Checks.notNull(attributionArguments, "attributionArguments");
        Checks.notNull(prediction, "prediction");
        Checks.notNull(classes, "classes");
        Checks.argument(
                numExamples >= 1 && numExamples <= MAX_EXAMPLES,
                "numExamples must be in [1, %s], got %s",
                MAX_EXAMPLES,
                numExamples);
        attributionArguments = Map.copyOf(attributionArguments);
        classes = List.copyOf(classes);
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder().from(DEFAULTS);
    }

    /**
     * A builder starting from this config.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder().from(this);
    }

    /**
     * Fluent builder of {@link FilterConfig}: a setter per component, named after it; a component
     * not set keeps its value (the default, or the copied config); {@code build()} validates.
     * Generated at compile time (Immutables).
     */
    public static final class Builder extends FilterConfigBuilder {
        Builder() {}
    }
}
