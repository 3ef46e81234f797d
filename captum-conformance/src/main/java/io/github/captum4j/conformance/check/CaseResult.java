package io.github.captum4j.conformance.check;

import java.util.ArrayList;
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
public record CaseResult(
        CaseResult.Status status,
        String name,
        List<ModelForm> forms,
        double maxAbs,
        double maxRel,
        String note) {

    /** A verdict. */
    public enum Status {
        /** Every evaluated form passed. */
        PASS,
        /** At least one evaluated form failed. */
        FAIL,
        /** Not evaluated. */
        SKIP
    }

    public CaseResult {
        forms = List.copyOf(forms);
    }

    public static CaseResult skip(String name, String note) {
        return new CaseResult(Status.SKIP, name, List.of(), Double.NaN, Double.NaN, note);
    }

    public static CaseResult fail(String name, String note) {
        return new CaseResult(Status.FAIL, name, List.of(), Double.NaN, Double.NaN, note);
    }

    /**
     * The same verdict under another name (the runner names a result after its case file).
     *
     * @param newName the name
     * @return the renamed result
     */
    public CaseResult named(String newName) {
        return new CaseResult(status, newName, forms, maxAbs, maxRel, note);
    }

    /**
     * Combines the outcomes of one case on each form: FAIL if any evaluated form failed, PASS if at
     * least one was evaluated and none failed, SKIP if none was. The note is the evaluated forms'
     * note (once if they agree, else per form), then why the other forms were skipped.
     *
     * @param name the case name
     * @param outcomes one per form, in form order
     * @return the verdict
     */
    public static CaseResult combine(String name, List<FormOutcome> outcomes) {
        List<ModelForm> evaluated = new ArrayList<>();
        boolean failed = false;
        double maxAbs = Double.NaN;
        double maxRel = Double.NaN;
        List<String> skipped = new ArrayList<>();
        String firstNote = null;
        boolean sameNote = true;
        for (FormOutcome o : outcomes) {
            if (o.status() == Status.SKIP) {
                skipped.add(o.form().label() + " skipped: " + o.note());
                continue;
            }
            evaluated.add(o.form());
            failed |= o.status() == Status.FAIL;
            maxAbs = max(maxAbs, o.maxAbs());
            maxRel = max(maxRel, o.maxRel());
            if (firstNote == null) {
                firstNote = o.note();
            } else {
                sameNote &= firstNote.equals(o.note());
            }
        }
        List<String> notes = new ArrayList<>();
        for (FormOutcome o : outcomes) {
            if (o.status() != Status.SKIP) {
                notes.add(sameNote ? o.note() : o.form().label() + ": " + o.note());
                if (sameNote) {
                    break;
                }
            }
        }
        notes.addAll(skipped);
        String note = String.join(" | ", notes);
        if (evaluated.isEmpty()) {
            return new CaseResult(Status.SKIP, name, List.of(), Double.NaN, Double.NaN, note);
        }
        return new CaseResult(
                failed ? Status.FAIL : Status.PASS, name, evaluated, maxAbs, maxRel, note);
    }

    private static double max(double a, double b) {
        if (Double.isNaN(a)) {
            return b;
        }
        if (Double.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }

    /**
     * The report line: {@code PASS|FAIL|SKIP <case> forms=<...> max_abs=<e> max_rel=<e> <note>}.
     *
     * @return the line
     */
    public String line() {
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

    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
