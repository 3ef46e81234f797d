package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A case's tolerance: an actual value passes when \( |a - e| \le \mathrm{atol} + \mathrm{rtol}
 * \cdot |e| \), elementwise, and both tensors have the same shape. NaN passes only against NaN; an
 * infinity only against the same infinity.
 *
 * <p>Not API: may change without notice.
 *
 * @param rtol relative tolerance, {@code >= 0}
 * @param atol absolute tolerance, {@code >= 0}
 */
public record Tolerance(double rtol, double atol) {

    /** The fixtures' default: rtol 1e-4, atol 1e-5. */
    public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-5);

    /**
     * Validates both tolerances.
     *
     * @param rtol relative tolerance, {@code >= 0}
     * @param atol absolute tolerance, {@code >= 0}
     */
    public Tolerance {
        if (!(rtol >= 0) || !Double.isFinite(rtol)) {
            throw new IllegalArgumentException("rtol must be finite and >= 0, got " + rtol);
        }
        if (!(atol >= 0) || !Double.isFinite(atol)) {
            throw new IllegalArgumentException("atol must be finite and >= 0, got " + atol);
        }
    }

    /**
     * Compares two arrays of the same shape (converted to float64 for the comparison).
     *
     * @param actual the computed values
     * @param expected the reference values
     * @return the errors and whether every element passes
     */
    public Result check(NDArray actual, NDArray expected) {
        if (actual == null || expected == null) {
            throw new IllegalArgumentException(
                    "actual and expected must not be null, got "
                            + (actual == null ? "null" : "an array")
                            + " and "
                            + (expected == null ? "null" : "an array"));
        }
        Shape as = actual.getShape();
        Shape es = expected.getShape();
        if (!as.equals(es)) {
            return Result.shapeMismatch(as, es);
        }
        return check(CaseTensors.doubles(actual), CaseTensors.doubles(expected));
    }

    /**
     * Compares two flat arrays of the same length.
     *
     * @param actual the computed values
     * @param expected the reference values
     * @return the errors and whether every element passes
     */
    public Result check(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            return Result.shapeMismatch(new Shape(actual.length), new Shape(expected.length));
        }
        double maxAbs = 0;
        double maxRel = 0;
        long failures = 0;
        long worst = -1;
        double worstRatio = -1;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double e = expected[i];
            double abs;
            boolean ok;
            if (Double.isNaN(a)
                    || Double.isNaN(e)
                    || Double.isInfinite(a)
                    || Double.isInfinite(e)) {
                ok = Double.compare(a, e) == 0;
                abs = ok ? 0 : Double.POSITIVE_INFINITY;
            } else {
                abs = Math.abs(a - e);
                ok = abs <= atol + rtol * Math.abs(e);
            }
            // Relative error only where |e| is above atol: below it the absolute term decides.
            double rel =
                    abs == 0
                            ? 0
                            : Math.abs(e) > atol && Math.abs(e) > 0
                                    ? abs / Math.abs(e)
                                    : Double.isInfinite(abs) ? abs : 0;
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, rel);
            double allowed = atol + rtol * Math.abs(e);
            double ratio = allowed > 0 ? abs / allowed : abs == 0 ? 0 : Double.POSITIVE_INFINITY;
            if (!ok) {
                failures++;
            }
            if (ratio > worstRatio || (!ok && worst < 0)) {
                worstRatio = ratio;
                worst = i;
            }
        }
        String detail =
                worst < 0
                        ? "empty"
                        : "worst at flat index "
                                + worst
                                + ": actual "
                                + (float) actual[(int) worst]
                                + ", expected "
                                + (float) expected[(int) worst];
        return new Result(failures == 0, maxAbs, maxRel, failures, actual.length, detail);
    }

    /**
     * The outcome of one comparison.
     *
     * @param passed whether every element is within tolerance and the shapes agree
     * @param maxAbsError largest \( |a - e| \)
     * @param maxRelError largest \( |a - e| / |e| \) over the elements with \( |e| > \mathrm{atol}
     *     \) (0 if there are none)
     * @param failures number of elements out of tolerance (all of them on a shape mismatch)
     * @param elements number of elements compared
     * @param detail where the worst element is, or the shape mismatch
     */
    public record Result(
            boolean passed,
            double maxAbsError,
            double maxRelError,
            long failures,
            long elements,
            String detail) {

        /**
         * A passing result with no errors: the neutral element of {@link #and(Result)}.
         *
         * @return the result
         */
        public static Result empty() {
            return new Result(true, 0, 0, 0, 0, "empty");
        }

        static Result shapeMismatch(Shape actual, Shape expected) {
            return new Result(
                    false,
                    Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    Math.max(actual.size(), expected.size()),
                    Math.max(actual.size(), expected.size()),
                    "shape " + actual + " does not match expected shape " + expected);
        }

        /**
         * Combines two results: passes if both pass; errors are the maxima.
         *
         * @param other the other result
         * @return the combination; the detail is the failing (or worse) side's
         */
        public Result and(Result other) {
            String d;
            if (passed != other.passed) {
                d = passed ? other.detail : detail;
            } else {
                d = other.maxAbsError > maxAbsError ? other.detail : detail;
            }
            if (elements == 0) {
                d = other.detail;
            } else if (other.elements == 0) {
                d = detail;
            }
            return new Result(
                    passed && other.passed,
                    Math.max(maxAbsError, other.maxAbsError),
                    Math.max(maxRelError, other.maxRelError),
                    failures + other.failures,
                    elements + other.elements,
                    d);
        }

        @Override
        public String toString() {
            return (passed ? "pass" : "FAIL")
                    + String.format(" max_abs=%.3e max_rel=%.3e", maxAbsError, maxRelError)
                    + (passed
                            ? ""
                            : " ("
                                    + failures
                                    + "/"
                                    + elements
                                    + " out of tolerance, "
                                    + detail
                                    + ")");
        }
    }
}
