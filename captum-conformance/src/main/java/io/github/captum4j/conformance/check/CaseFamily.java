package io.github.captum4j.conformance.check;

import io.github.captum4j.conformance.cases.GoldenCase;

import java.util.Set;

/**
 * One family of golden cases (e.g. the gradient methods, the perturbation methods, the metrics):
 * says which cases it takes and evaluates them. Families never call each other; what they share
 * ({@link Checks}, {@link Verdict}, {@link CaseContext}) lives in this package.
 *
 * <p>A family joins the runner by one line in {@code io.github.captum4j.conformance.CaseRegistry}.
 * A family keyed on methods extends {@link MethodFamily}; the usual body evaluates the case on each
 * model form through {@link CaseContext#eachForm(GoldenCase, CaseContext.FormCheck)} and the shared
 * {@link Checks}:
 *
 * <pre>{@code
 * public final class SaliencyFamily extends MethodFamily {
 *     public SaliencyFamily() {
 *         super("saliency", "Saliency");
 *     }
 *
 *     public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
 *         return ctx.eachForm(c, (form, model, m) -> {
 *             Saliency s = new Saliency(model);
 *             MethodCall call = (in, t, seed) -> s.attribute(in, t, Saliency.Options.DEFAULTS);
 *             return Checks.exact(c, call, Checks.inputs(c, m, false), m);
 *         });
 *     }
 * }
 * }</pre>
 */
public interface CaseFamily {

    /**
     * A short name for reports, e.g. {@code gradient}.
     *
     * @return the name
     */
    String name();

    /**
     * Whether this family evaluates a case (usually by its method, or by its {@code family}). The
     * registry asks the families in order; the first that answers {@code true} takes the case. May
     * throw {@link IllegalArgumentException} for a malformed case (reported as a failure).
     *
     * @param c the case
     * @return {@code true} to take it
     */
    boolean handles(GoldenCase c);

    /**
     * Evaluates a case this family handles. A check that cannot be done must fail, never pass.
     *
     * @param c the case
     * @param ctx the fixture folder, the model forms to evaluate and the cached models
     * @return the verdict (its name is replaced by the case file's name)
     */
    CaseResult evaluate(GoldenCase c, CaseContext ctx);

    /**
     * The properties of statistical cases this family checks (see {@link Properties}); the runner
     * fails a statistical case recording any other property, naming it. Default: none.
     *
     * @return the property names
     */
    default Set<String> properties() {
        return Set.of();
    }
}
