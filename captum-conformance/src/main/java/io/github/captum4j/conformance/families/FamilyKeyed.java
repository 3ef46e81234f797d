package io.github.captum4j.conformance.families;

import io.github.captum4j.conformance.check.MethodFamily;

import java.util.Set;

/**
 * A case family that takes the cases whose {@code family} field names it ({@code "llm"}, {@code
 * "robust"}, {@code "concept"}, {@code "influence"}): the name, the {@code handles} test and the
 * statistical properties it checks, written once. Not API.
 */
abstract class FamilyKeyed extends MethodFamily {

    private final Set<String> properties;

    /**
     * A family keyed by its cases' {@code family} field.
     *
     * @param family the field's value, also the family's name
     * @param properties the properties of statistical cases it checks (see {@link #properties()})
     */
    FamilyKeyed(String family, Set<String> properties) {
        super(family, c -> c.family().map(family::equals).orElse(false));
        this.properties = Set.copyOf(properties);
    }

    @Override
    public final Set<String> properties() {
        return properties;
    }
}
