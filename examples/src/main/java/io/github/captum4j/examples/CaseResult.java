package io.github.captum4j.examples;

import java.util.List;
import java.util.Locale;

/**
 * The verdict on one case: PASS only if every evaluated form passed; SKIP if no form was evaluated.
 *
 * @param status the verdict
 * @param name the case name
 * @param forms the forms evaluated (empty for a skip)
 * @param maxAbs largest absolute error over the forms (NaN if none)
 * @param maxRel largest relative error over the forms (NaN if none)
 * @param note what was checked, why it failed or why it was skipped
 */
record CaseResult(
        CaseResult.Status status,
        String name,
        List<ModelForm> forms,
        double maxAbs,
        double maxRel,
        String note) {

    /** A verdict. */
    enum Status {
        /** Every evaluated form passed. */
        PASS,
        /** At least one evaluated form failed. */
        FAIL,
        /** Not evaluated. */
        SKIP
    }

    CaseResult {
        forms = List.copyOf(forms);
    }

    static CaseResult skip(String name, String note) {
        return new CaseResult(Status.SKIP, name, List.of(), Double.NaN, Double.NaN, note);
    }

    static CaseResult fail(String name, String note) {
        return new CaseResult(Status.FAIL, name, List.of(), Double.NaN, Double.NaN, note);
    }

    /**
     * The report line: {@code PASS|FAIL|SKIP <case> forms=<...> max_abs=<e> max_rel=<e> <note>}.
     *
     * @return the line
     */
    String line() {
        StringBuilder f = new StringBuilder();
        for (ModelForm form : forms) {
            f.append(f.length() == 0 ? "" : "+").append(form.label());
        }
        return String.format(
                Locale.ROOT,
                "%s  %s  forms=%s  max_abs=%s max_rel=%s  %s",
                status,
                name,
                f.length() == 0 ? "-" : f,
                number(maxAbs),
                number(maxRel),
                note);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
