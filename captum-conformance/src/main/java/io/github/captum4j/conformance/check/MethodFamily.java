package io.github.captum4j.conformance.check;

import io.github.captum4j.conformance.cases.GoldenCase;

import java.util.Set;

/**
 * A {@link CaseFamily} that takes the cases of a fixed set of Captum methods ({@code method} of the
 * case). A family keyed on the case's {@code family} field implements {@link CaseFamily} directly.
 */
public abstract class MethodFamily implements CaseFamily {

    private final String name;
    private final Set<String> methods;

    /**
     * A family of methods.
     *
     * @param name the family's name, for reports
     * @param methods the case methods it takes, e.g. {@code Saliency}
     */
    protected MethodFamily(String name, String... methods) {
        this.name = name;
        this.methods = Set.of(methods);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public boolean handles(GoldenCase c) {
        return methods.contains(c.method());
    }
}
