package io.github.captum4j.robust;

/** Python's float semantics where Captum's search depends on them. Not API. */
final class PythonFloats {

    private PythonFloats() {}

    /**
     * Python's {@code a // b} for floats (CPython's {@code float_floor_div}): e.g. {@code 3.0 //
     * 0.1 == 29.0}, because the remainder {@code fmod(3.0, 0.1)} is almost 0.1.
     */
    static double floorDiv(double a, double b) {
        double mod = a % b; // C fmod
        double div = (a - mod) / b;
        if (mod != 0) {
            if ((b < 0) != (mod < 0)) {
                div -= 1.0;
            }
        }
        if (div != 0) {
            double floor = Math.floor(div);
            if (div - floor > 0.5) {
                floor += 1.0;
            }
            return floor;
        }
        return Math.copySign(0.0, a / b);
    }

    /** Python's {@code math.isclose(a, b)}: relative tolerance 1e-9, no absolute tolerance. */
    static boolean isClose(double a, double b) {
        if (a == b) {
            return true;
        }
        double diff = Math.abs(b - a);
        return diff <= Math.abs(1e-9 * b) || diff <= Math.abs(1e-9 * a);
    }
}
