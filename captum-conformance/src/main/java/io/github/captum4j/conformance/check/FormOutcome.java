package io.github.captum4j.conformance.check;

/**
 * The result of one case on one model form.
 *
 * @param form the form
 * @param status PASS, FAIL, or SKIP when the form cannot take the case
 * @param maxAbs largest absolute error against the reference (NaN if not evaluated)
 * @param maxRel largest relative error against the reference (NaN if not evaluated)
 * @param note the property checked, the failure or the reason for skipping
 */
public record FormOutcome(
        ModelForm form, CaseResult.Status status, double maxAbs, double maxRel, String note) {

    public static FormOutcome skip(ModelForm form, String reason) {
        return new FormOutcome(form, CaseResult.Status.SKIP, Double.NaN, Double.NaN, reason);
    }

    public static FormOutcome error(ModelForm form, Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' ');
        return new FormOutcome(
                form,
                CaseResult.Status.FAIL,
                Double.NaN,
                Double.NaN,
                "error " + e.getClass().getSimpleName() + message);
    }
}
