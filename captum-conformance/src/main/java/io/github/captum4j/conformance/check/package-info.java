/**
 * What a case family implements ({@link io.github.captum4j.conformance.check.CaseFamily}, or {@link
 * io.github.captum4j.conformance.check.MethodFamily} for a family keyed on methods) and what
 * families share, each written once: {@link io.github.captum4j.conformance.check.CaseContext}
 * (fixture folder, model forms, models loaded once, per-form evaluation), {@link
 * io.github.captum4j.conformance.check.Checks} (inputs, exact comparison within the case's
 * tolerance, the {@code seed_stats} check, rejection of unknown arguments), {@link
 * io.github.captum4j.conformance.check.Verdict}, {@link io.github.captum4j.conformance.check.Bound}
 * and {@link io.github.captum4j.conformance.check.Moments} for statistical checks, and the report
 * types ({@link io.github.captum4j.conformance.check.CaseResult}, {@link
 * io.github.captum4j.conformance.check.FormOutcome}, {@link
 * io.github.captum4j.conformance.check.ModelForm}).
 */
package io.github.captum4j.conformance.check;
