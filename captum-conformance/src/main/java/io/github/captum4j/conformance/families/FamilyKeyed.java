package io.github.captum4j.conformance.families;

import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseFamily;

/**
 * A case family that takes the cases whose {@code family} field names it ({@code "llm"}, {@code
 * "robust"}, {@code "concept"}, {@code "influence"}): the name and the {@code handles} test,
 * written once. Not API.
 */
abstract class FamilyKeyed implements CaseFamily {

    private final String family;

    /**
     * A family keyed by its cases' {@code family} field.
     *
     * @param family the field's value, also the family's name
     */
    FamilyKeyed(String family) {
        this.family = family;
    }

    @Override
    public final String name() {
        return family;
    }

    @Override
    public final boolean handles(GoldenCase c) {
        return c.family().map(family::equals).orElse(false);
    }
}
