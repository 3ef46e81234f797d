package io.github.captum4j.conformance.check;

import java.util.Locale;

/**
 * An elementwise bound \( |a_i - r_i| \le \mathrm{allowed}_i \) and its errors: what a statistical
 * check compares. Made by {@link #check} and combined with {@link #and}.
 *
 * @param passed whether every element is within its bound
 * @param maxAbs the largest absolute error
 * @param maxRel the largest relative error (over non-zero references)
 * @param detail how many elements are outside and the worst one
 */
public record Bound(boolean passed, double maxAbs, double maxRel, String detail) {

    /**
     * The passing bound over no elements: the neutral element of {@link #and(Bound)}.
     *
     * @return the bound
     */
    public static Bound empty() {
        return new Bound(true, 0, 0, "");
    }

    /**
     * Checks every element.
     *
     * @param actual our values
     * @param reference the reference values
     * @param allowed the allowed absolute error per element
     * @return the bound
     */
    public static Bound check(double[] actual, double[] reference, double[] allowed) {
        if (actual.length != reference.length) {
            return new Bound(
                    false,
                    Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    actual.length + " values, reference has " + reference.length);
        }
        boolean ok = true;
        double maxAbs = 0;
        double maxRel = 0;
        double worstRatio = -1;
        int worst = -1;
        int failures = 0;
        for (int i = 0; i < actual.length; i++) {
            double abs = Math.abs(actual[i] - reference[i]);
            if (Double.isNaN(abs)) {
                abs = Double.POSITIVE_INFINITY;
            }
            boolean in = abs <= allowed[i];
            ok &= in;
            failures += in ? 0 : 1;
            maxAbs = Math.max(maxAbs, abs);
            if (abs > 0 && reference[i] != 0) {
                maxRel = Math.max(maxRel, abs / Math.abs(reference[i]));
            }
            double ratio =
                    allowed[i] > 0 ? abs / allowed[i] : abs > 0 ? Double.POSITIVE_INFINITY : 0;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        String detail =
                worst < 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "%d/%d outside; worst at %d: %.4g vs %.4g (allowed +-%.3g)",
                                failures,
                                actual.length,
                                worst,
                                actual[worst],
                                reference[worst],
                                allowed[worst]);
        return new Bound(ok, maxAbs, maxRel, detail);
    }

    /**
     * Both bounds: passes if both pass; errors are the maxima.
     *
     * @param o the other bound
     * @return the combination
     */
    public Bound and(Bound o) {
        String d = !passed ? detail : !o.passed ? o.detail : o.maxAbs > maxAbs ? o.detail : detail;
        return new Bound(
                passed && o.passed, Math.max(maxAbs, o.maxAbs), Math.max(maxRel, o.maxRel), d);
    }
}
