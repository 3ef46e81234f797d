package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;
import java.util.List;

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
        checkOutlierPerc(outlierPerc);
        float[] magnitude = new float[Checks.notNull(combined, "attr").length];
        float[] kept = kept(combined, sign, magnitude);
        float scale = cumulativeSumThreshold(magnitude, 100.0 - outlierPerc);
        return divideAndClip(kept, sign == VisualizeSign.NEGATIVE ? -scale : scale);
    }

    /**
     * Scales per-pixel attributions by a fixed value instead of Captum's per-map outlier
     * threshold, so that maps drawn with the same {@code scale} — of different methods, examples
     * or models — show equal attributions in equal colours (Captum #1103): the kept attributions
     * of the sign divided by {@code scale} (by {@code -scale} for {@link VisualizeSign#NEGATIVE}),
     * clipped to [-1, 1].
     *
     * @param combined one attribution per pixel; must be finite
     * @param sign which attributions to keep
     * @param scale the attribution magnitude drawn with the colormap's last colour, {@code > 0}
     * @return values in [0, 1], or in [-1, 1] for {@link VisualizeSign#ALL}
     */
    public static float[] scaleAttr(float[] combined, VisualizeSign sign, double scale) {
        checkScale(scale);
        float[] magnitude = new float[Checks.notNull(combined, "attr").length];
        float[] kept = kept(combined, sign, magnitude);
        return divideAndClip(kept, (float) (sign == VisualizeSign.NEGATIVE ? -scale : scale));
    }

    /**
     * One scale for several maps: Captum's outlier threshold over the magnitudes of all of them
     * together, so that the largest values making up {@code outlierPerc} percent of the total
     * attribution of all maps saturate. Use it with {@link #scaleAttr} (or the visualisations'
     * {@code scale} option) for every map.
     *
     * @param maps per-pixel attributions of each map (already summed over channels)
     * @param sign which attributions to keep
     * @param outlierPerc the percentage of the total that saturates, in [0, 100]
     * @return the shared scale, or 0 if every kept attribution is 0
     */
    public static float sharedScale(List<float[]> maps, VisualizeSign sign, double outlierPerc) {
        Checks.notNull(maps, "maps");
        Checks.argument(!maps.isEmpty(), "maps must hold at least one map, got none");
        checkOutlierPerc(outlierPerc);
        int n = 0;
        for (float[] m : maps) {
            n += Checks.notNull(m, "maps[]").length;
        }
        float[] magnitude = new float[n];
        int at = 0;
        for (float[] m : maps) {
            float[] part = new float[m.length];
            kept(m, sign, part);
            System.arraycopy(part, 0, magnitude, at, part.length);
            at += part.length;
        }
        return cumulativeSumThreshold(magnitude, 100.0 - outlierPerc);
    }

    /** The attributions of a sign (NumPy's arithmetic), and their magnitudes into {@code out}. */
    private static float[] kept(float[] combined, VisualizeSign sign, float[] magnitude) {
        Checks.notNull(sign, "sign");
        float[] kept = new float[combined.length];
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
        return kept;
    }

    private static float[] divideAndClip(float[] kept, float scale) {
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
     * Checks a fixed scale.
     *
     * @param scale the value
     */
    static void checkScale(double scale) {
        Checks.argument(
                scale > 0 && Double.isFinite(scale),
                "scale must be a finite value > 0, got %s",
                scale);
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
