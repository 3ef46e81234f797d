package io.github.captum4j.attr.contract;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Whether a memory reading grows steadily over a soak: the signature of a leak, told apart from
 * the one-off steps and swings a process shows while it settles.
 *
 * <p>Readings are taken at evenly spaced checkpoints (11 over 10,000 calls: after 0, 1,000, ...,
 * 10,000 calls) and each window's level is the median of three neighbouring readings, so that one
 * stray reading does not count. A leak of {@code b} bytes a call raises the level by {@code 4,000
 * b} between readings 0-2 and 4-6 and again between readings 4-6 and 8-10; {@link #steadyGrowth}
 * is the smaller of the two rises. A one-off step (a cache filled once, the JIT compiler's arenas,
 * a thread pool's first use) raises only one of them, and a swing up and down makes one negative.
 * Measured before this estimator: two single readings at 5,000 and 10,000 calls gave Lime +9.9 MB
 * and then -21.6 MB on the immediate rerun, and LayerGradCam stepped once by +5.7 MB between 5,000
 * and 8,000 calls and stayed there.
 */
final class SoakTrend {

    /** Checkpoints: readings after 0, 1/10, ..., 10/10 of the calls. */
    static final int CHECKPOINTS = 11;

    /** Calls between the centres of two windows, in tenths of the soak. */
    static final int SPAN_TENTHS = 4;

    private SoakTrend() {}

    /**
     * The steady growth of one measure: the smaller of its rises over the first and the second
     * half of the soak, each over {@value #SPAN_TENTHS} tenths of the calls.
     *
     * @param readings {@value #CHECKPOINTS} snapshots, in call order
     * @param measure the measure, in the unit wanted
     * @return min(level(4..6) - level(0..2), level(8..10) - level(4..6)), levels being medians
     */
    static <T> double steadyGrowth(T[] readings, ToDoubleFunction<T> measure) {
        if (readings.length != CHECKPOINTS) {
            throw new IllegalArgumentException(
                    "readings: expected " + CHECKPOINTS + ", got " + readings.length);
        }
        double start = median(readings, 0, measure);
        double middle = median(readings, 4, measure);
        double end = median(readings, 8, measure);
        return Math.min(middle - start, end - middle);
    }

    private static <T> double median(T[] readings, int from, ToDoubleFunction<T> measure) {
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            v[i] = measure.applyAsDouble(readings[from + i]);
        }
        Arrays.sort(v);
        return v[1];
    }
}
