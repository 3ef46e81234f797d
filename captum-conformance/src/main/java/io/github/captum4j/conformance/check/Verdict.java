package io.github.captum4j.conformance.check;

import io.github.captum4j.conformance.cases.Tolerance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects the checks of a case on one form: passes only if every check passes. The note lists the
 * failed checks first, then the passed ones, by the property each checks.
 */
public final class Verdict {

    /** Allowed ratio between the spread of our runs and the recorded spread. */
    public static final double SPREAD_RATIO_MIN = 0.5;

    /** Upper end of the allowed spread ratio. */
    public static final double SPREAD_RATIO_MAX = 2.0;

    private boolean passed = true;
    private double maxAbs = Double.NaN;
    private double maxRel = Double.NaN;
    private final List<String> passedChecks = new ArrayList<>();
    private final List<String> failedChecks = new ArrayList<>();
    private String skipReason;

    /**
     * A verdict for a form that cannot take the case.
     *
     * @param reason why, for the report
     * @return the verdict
     */
    public static Verdict skipped(String reason) {
        Verdict v = new Verdict();
        v.skipReason = reason;
        return v;
    }

    /**
     * Adds a comparison within the case's tolerance.
     *
     * @param property what is compared, for the note
     * @param r the comparison
     */
    public void compare(String property, Tolerance.Result r) {
        errors(r.maxAbsError(), r.maxRelError());
        check(property, r.passed(), r.passed() ? "" : r.toString());
    }

    /**
     * Adds an elementwise bound.
     *
     * @param property what is bounded, for the note
     * @param b the bound
     */
    public void bound(String property, Bound b) {
        errors(b.maxAbs(), b.maxRel());
        check(property, b.passed(), b.detail());
    }

    /**
     * Adds the spread check: our standard deviation within {@link #SPREAD_RATIO_MIN}..{@link
     * #SPREAD_RATIO_MAX} times the recorded one.
     *
     * @param ourVariance our summed variance
     * @param referenceVariance the recorded summed variance
     * @param reference what was recorded, for the note
     */
    public void spread(double ourVariance, double referenceVariance, String reference) {
        if (referenceVariance <= 0) {
            check(
                    "spread",
                    ourVariance <= 1e-12,
                    "recorded spread is 0, ours " + Math.sqrt(ourVariance));
            return;
        }
        double ratio = Math.sqrt(ourVariance / referenceVariance);
        check(
                String.format(Locale.ROOT, "spread ratio %.2f vs %s", ratio, reference),
                ratio >= SPREAD_RATIO_MIN && ratio <= SPREAD_RATIO_MAX,
                String.format(
                        Locale.ROOT, "outside [%.1f, %.1f]", SPREAD_RATIO_MIN, SPREAD_RATIO_MAX));
    }

    /**
     * Adds a check.
     *
     * @param property the property, for the note
     * @param ok whether it holds
     * @param detail why not, for the note
     */
    public void check(String property, boolean ok, String detail) {
        if (ok) {
            passedChecks.add(property);
        } else {
            passed = false;
            failedChecks.add(property + " FAILED: " + detail);
        }
    }

    /**
     * Adds a failed check.
     *
     * @param property the property, for the note
     * @param detail why it failed
     */
    public void fail(String property, String detail) {
        check(property, false, detail);
    }

    private void errors(double abs, double rel) {
        maxAbs = Double.isNaN(maxAbs) ? abs : Math.max(maxAbs, abs);
        maxRel = Double.isNaN(maxRel) ? rel : Math.max(maxRel, rel);
    }

    /**
     * The outcome on a form.
     *
     * @param form the form
     * @return PASS, FAIL or SKIP with the note
     */
    public FormOutcome outcome(ModelForm form) {
        if (skipReason != null) {
            return FormOutcome.skip(form, skipReason);
        }
        List<String> parts = new ArrayList<>(failedChecks);
        parts.addAll(passedChecks);
        return new FormOutcome(
                form,
                passed ? CaseResult.Status.PASS : CaseResult.Status.FAIL,
                maxAbs,
                maxRel,
                String.join("; ", parts));
    }
}
