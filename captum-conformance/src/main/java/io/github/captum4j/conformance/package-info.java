/**
 * The conformance runner: every golden case of a fixture folder evaluated through one ordered
 * registry of case families ({@link io.github.captum4j.conformance.CaseRegistry}), one report line
 * per case, then {@code N passed, M failed, K skipped}. The CLI's {@code conformance DIR} and the
 * golden-case test ({@code GoldenCasesTest}) both go through {@link
 * io.github.captum4j.conformance.ConformanceRunner#runCase}.
 *
 * <p>Layers, each using only those below it:
 *
 * <ul>
 *   <li>{@code conformance.cases}: the reader of the case format ({@code GoldenCase}, {@code
 *       Tolerance}, ...);
 *   <li>{@code conformance.check}: what families implement and share: {@code CaseFamily}, {@code
 *       CaseContext} (fixture folder, forms, models loaded once), {@code Checks} (inputs, exact
 *       comparison, {@code seed_stats}, unknown arguments), {@code Verdict}, {@code Bound}, {@code
 *       Moments};
 *   <li>{@code conformance.families}: one class per family; families never reference each other;
 *   <li>this package: the registry and the runner.
 * </ul>
 *
 * <p><b>Adding a family</b> = one class and one line: write {@code final class XFamily implements
 * CaseFamily} in {@code conformance.families} ({@code name()}, {@code handles(GoldenCase)} by the
 * case's {@code family()}, or by method through the base {@code MethodFamily}, {@code
 * evaluate(GoldenCase, CaseContext)}, usually {@code ctx.eachForm(c, (form, model, m) -> ...)}
 * returning a {@code Verdict}), then add {@code new XFamily()} to the list in {@link
 * io.github.captum4j.conformance.CaseRegistry} (families keyed on {@code family()} first). Copy the
 * family's cases and models into {@code src-test-resources/}; {@code GoldenCasesTest} then runs
 * them in the build.
 *
 * <p>Test tooling: no library jar depends on this module.
 */
package io.github.captum4j.conformance;
