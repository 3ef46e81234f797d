package io.github.captum4j.conformance.check;

import io.github.captum4j.conformance.cases.GoldenCase;

import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@link CaseFamily} with a fixed name that takes the cases a predicate selects: those of a fixed
 * set of Captum methods ({@code method} of the case), or any other test of the case (e.g. its
 * {@code family} field).
 */
public abstract class MethodFamily implements CaseFamily {

    private final String name;
    private final Predicate<GoldenCase> selects;

    /**
     * A family of methods.
     *
     * @param name the family's name, for reports
     * @param methods the case methods it takes, e.g. {@code Saliency}
     */
    protected MethodFamily(String name, String... methods) {
        this(name, methodIn(Set.of(methods)));
    }

    /**
     * A family taking the cases a predicate selects.
     *
     * @param name the family's name, for reports
     * @param selects which cases it takes
     */
    protected MethodFamily(String name, Predicate<GoldenCase> selects) {
        this.name = name;
        this.selects = selects;
    }

    private static Predicate<GoldenCase> methodIn(Set<String> methods) {
        return c -> methods.contains(c.method());
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public boolean handles(GoldenCase c) {
        return selects.test(c);
    }
}
