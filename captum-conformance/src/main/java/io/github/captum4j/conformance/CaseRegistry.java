package io.github.captum4j.conformance;

import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseFamily;
import io.github.captum4j.conformance.families.ConceptFamily;
import io.github.captum4j.conformance.families.GradientFamily;
import io.github.captum4j.conformance.families.GradientShapFamily;
import io.github.captum4j.conformance.families.InfluenceFamily;
import io.github.captum4j.conformance.families.LayerFamily;
import io.github.captum4j.conformance.families.LlmFamily;
import io.github.captum4j.conformance.families.MetricFamily;
import io.github.captum4j.conformance.families.NoiseTunnelFamily;
import io.github.captum4j.conformance.families.PerturbationFamily;
import io.github.captum4j.conformance.families.RobustFamily;
import io.github.captum4j.conformance.families.RuleFamily;

import java.util.List;
import java.util.Optional;

/**
 * Every case family, in the fixed order in which they are asked whether they handle a case: the
 * first that does evaluates it. Adding a family = one class in {@code conformance.families} and one
 * line here. Families keyed on a case's {@code family} field (robust, concept, influence, llm,
 * extras, model_coverage) go before the method-keyed ones, so that they take their cases even when
 * a method name (e.g. {@code Occlusion}) is also one of the first families'.
 *
 * <pre>{@code
 * Optional<CaseFamily> f = CaseRegistry.familyFor(GoldenCase.read(file));
 * }</pre>
 */
public final class CaseRegistry {

    private static final List<CaseFamily> FAMILIES =
            List.of(
                    // families keyed on the case's "family" field go here, first
                    new RobustFamily(),
                    new ConceptFamily(),
                    new InfluenceFamily(),
                    new LlmFamily(),
                    new MetricFamily(),
                    new PerturbationFamily(),
                    new LayerFamily(),
                    new RuleFamily(),
                    new GradientFamily(),
                    new NoiseTunnelFamily(),
                    new GradientShapFamily());

    private CaseRegistry() {}

    /**
     * The families, in the order they are asked.
     *
     * @return the families (unmodifiable)
     */
    public static List<CaseFamily> families() {
        return FAMILIES;
    }

    /**
     * The family that evaluates a case.
     *
     * @param c the case
     * @return the first family that handles it, or empty if none does (not implemented yet)
     * @throws IllegalArgumentException if a family finds the case malformed
     */
    public static Optional<CaseFamily> familyFor(GoldenCase c) {
        for (CaseFamily f : FAMILIES) {
            if (f.handles(c)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
