package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;

/**
 * Captum's outlier normalisation of attributions for display: attributions of the chosen {@link
 * VisualizeSign} are divided by a scale \( s \) and clipped to \( [-1, 1] \), where \( s \) is the
 * smallest value \( v_k \) of the sorted magnitudes \( v_1 \le \dots \le v_n \) whose cumulative
 * sum reaches \( (100 - p)\% \) of the total:
 *
 * <p>\( s = v_{k^*},\quad k^* = \min \{ k : \sum_{j \le k} v_j \ge \frac{100 - p}{100} \sum_j v_j
 * \} \)
 *
 * <p>so the largest values that together make up {@code outlierPerc} = \( p \) percent of the total
 * attribution saturate at 1. Arithmetic is float32, as NumPy does it on float32 attributions. Where
 * Captum fails on all-zero attributions ("Cannot normalize by scale factor = 0"), the result here
 * is all zeros.
 *
 * <pre>{@code
 * float[] shown = Normalization.normalizeAttr(perPixelSums, VisualizeSign.ALL, 2.0);
 * }</pre>
 */
public final class Normalization {

    private Normalization() {}

    /**
     * The cumulative-sum threshold of non-negative values (Captum's {@code
     * _cumulative_sum_threshold}).
     *
     * @param values non-negative values
     * @param percentile the share of the total, in [0, 100]
     * @return the smallest sorted value whose running sum reaches {@code percentile}% of the total
     */
    public static float cumulativeSumThreshold(float[] values, double percentile) {
        Checks.notNull(values, "values");
        Checks.argument(values.length > 0, "values must not be empty");
        Checks.argument(
                percentile >= 0 && percentile <= 100,
                "percentile must be in [0, 100], got %s",
                percentile);
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        float[] running = new float[sorted.length];
        float sum = 0f;
        for (int i = 0; i < sorted.length; i++) {
            sum += sorted[i];
            running[i] = sum;
        }
        // NumPy: float32 total * 0.01 * percentile is a float64, compared with the float32 sums
        // after rounding to float32.
        float target = (float) ((double) sum * 0.01 * percentile);
        for (int i = 0; i < running.length; i++) {
            if (running[i] >= target) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    /**
     * Normalises per-pixel attributions (already summed over channels) for one sign (Captum's
     * {@code _normalize_attr} after its channel sum).
     *
     * @param combined one attribution per pixel; must be finite
     * @param sign which attributions to keep
     * @param outlierPerc the percentage of the total attribution that saturates, in [0, 100]
     * @return values in [0, 1], or in [-1, 1] for {@link VisualizeSign#ALL}
     */
    public static float[] normalizeAttr(float[] combined, VisualizeSign sign, double outlierPerc) {
        Checks.notNull(combined, "attr");
        Checks.notNull(sign, "sign");
        checkOutlierPerc(outlierPerc);
        float[] kept = new float[combined.length];
        float[] magnitude = new float[combined.length];
        for (int i = 0; i < combined.length; i++) {
            float v = combined[i];
            Checks.argument(Float.isFinite(v), "attr must be finite, got %s at pixel %s", v, i);
            switch (sign) {
                case POSITIVE:
                    // NumPy's (attr > 0) * attr: signed zeros included, as Captum computes it.
                    kept[i] = (v > 0 ? 1f : 0f) * v;
                    magnitude[i] = kept[i];
                    break;
                case NEGATIVE:
                    kept[i] = (v < 0 ? 1f : 0f) * v;
                    magnitude[i] = Math.abs(kept[i]);
                    break;
                case ABSOLUTE_VALUE:
                    kept[i] = Math.abs(v);
                    magnitude[i] = kept[i];
                    break;
                default:
                    kept[i] = v;
                    magnitude[i] = Math.abs(v);
            }
        }
        float scale = cumulativeSumThreshold(magnitude, 100.0 - outlierPerc);
        if (sign == VisualizeSign.NEGATIVE) {
            scale = -scale;
        }
        float[] out = new float[kept.length];
        if (scale == 0f) {
            return out; // all attributions of this sign are zero: nothing to show
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(-1f, Math.min(1f, kept[i] / scale));
        }
        return out;
    }

    /**
     * Checks Captum's {@code outlier_perc} range.
     *
     * @param outlierPerc the value
     */
    static void checkOutlierPerc(double outlierPerc) {
        Checks.argument(
                outlierPerc >= 0 && outlierPerc <= 100,
                "outlierPerc must be in [0, 100], got %s",
                outlierPerc);
    }
}
