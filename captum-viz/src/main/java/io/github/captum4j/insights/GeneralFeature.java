package io.github.captum4j.insights;

import io.github.captum4j.core.internal.Checks;

import java.util.List;

/**
 * A vector of named values, {@code (N, K)} (Captum's {@code GeneralFeature}): Insights shows each
 * category's value and its attribution (divided by the attributions' L2 norm) as a bar.
 *
 * <pre>{@code
 * GeneralFeature vitals = new GeneralFeature("Vitals", List.of("age", "pulse", "pressure"));
 * }</pre>
 *
 * @param name the label
 * @param categories one label per value, in order
 */
public record GeneralFeature(String name, List<String> categories) implements Feature {

    /**
     * Validates and copies the components.
     *
     * @param name the label
     * @param categories one label per value, in order
     */
    public GeneralFeature {
        Checks.notNull(name, "name");
        Checks.notNull(categories, "categories");
        categories = List.copyOf(categories);
    }

    /** {@inheritDoc} */
    @Override
    public String visualizationType() {
        return "general";
    }
}
