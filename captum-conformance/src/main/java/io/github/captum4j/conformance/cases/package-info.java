/**
 * Reader of the golden cases in {@code src-test-resources/} (Captum's reference outputs, written by
 * the Python generator): {@link io.github.captum4j.conformance.cases.FixtureRoot} lists the cases
 * and locates model files, {@link io.github.captum4j.conformance.cases.GoldenCase} is one parsed
 * case (raw JSON, family, method, model id, arguments as {@link
 * io.github.captum4j.conformance.cases.CaseArgs}, inputs, baselines, target, expected items),
 * {@link io.github.captum4j.conformance.cases.CaseTensors} turns the JSON tensor form into NDArrays
 * and {@link io.github.captum4j.conformance.cases.Tolerance} compares results with a case's
 * tolerance.
 *
 * <p>Test tooling, not part of any library jar: only the conformance runner, the CLI and the
 * golden-case tests use it.
 */
package io.github.captum4j.conformance.cases;
