package io.github.captum4j.attr.contract;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Growth of a memory reading over the second half of a soak, robust to one stray reading.
 *
 * <p>Readings are taken at evenly spaced checkpoints (11 over 10,000 calls: after 0, 1,000, ...,
 * 10,000 calls). The growth is the median of the last three readings minus the median of the three
 * up to the half (3,000, 4,000 and 5,000 calls): the two medians are 5,000 calls apart, so a leak
 * of {@code b} bytes a call shows as {@code 5,000 b}, exactly as a comparison of two single
 * readings at 5,000 and 10,000 calls would, while one transient high or low reading in either
 * window (a cache libtorch fills and empties, a thread pool's arena) no longer decides the result.
 * Two readings once showed +9.9 MB for Lime and passed at -21.6 MB on the immediate rerun.
 */
final class SoakTrend {

    /** Checkpoints: readings after 0, 1/10, ..., 10/10 of the calls. */
    static final int CHECKPOINTS = 11;

    private SoakTrend() {}

    /**
     * The late growth of one measure.
     *
     * @param readings {@value #CHECKPOINTS} snapshots, in call order
     * @param measure the measure, in the unit wanted
     * @return median of readings 8..10 minus median of readings 3..5
     */
    static <T> double lateGrowth(T[] readings, ToDoubleFunction<T> measure) {
        if (readings.length != CHECKPOINTS) {
            throw new IllegalArgumentException(
                    "readings: expected " + CHECKPOINTS + ", got " + readings.length);
        }
        return median(readings, 8, measure) - median(readings, 3, measure);
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
