package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

class NormalizationTest {

    /**
     * Hand-checked: values 1, 2, 3, 4 (sorted) have running sums 1, 3, 6, 10. With outlierPerc = 40
     * the threshold is the first value whose running sum reaches 60% of 10 = 6, i.e. 3: the values
     * normalise to 1/3, 2/3, 1 and min(4/3, 1) = 1. With outlierPerc = 2 (Captum's default) the
     * running sum must reach 9.8: only 10 does, so the scale is 4.
     */
    @Test
    void handCheckedExample() {
        float[] v = {3, 1, 4, 2};
        assertThat(Normalization.cumulativeSumThreshold(v, 60)).isEqualTo(3f);
        assertThat(Normalization.normalizeAttr(v, VisualizeSign.ABSOLUTE_VALUE, 40))
                .containsExactly(1f, 1f / 3, 1f, 2f / 3);
        assertThat(Normalization.normalizeAttr(v, VisualizeSign.ABSOLUTE_VALUE, 2))
                .containsExactly(0.75f, 0.25f, 1f, 0.5f);
    }

    /**
     * Signs, by hand, for {@code -2, 1, -4, 3} at outlierPerc 2: ALL scales |v| by 4 (running sums
     * of 1, 2, 3, 4 reach 9.8 only at 10) and keeps signs; POSITIVE keeps 1, 3 (sums 0, 0, 1, 4: 4
     * >= 3.92 at value 3); NEGATIVE keeps -2, -4 by magnitude (scale 4, shown positive). The
     * dropped values are NumPy's signed zeros of {@code (attr > 0) * attr}, divided by the scale.
     */
    @Test
    void signsByHand() {
        float[] v = {-2, 1, -4, 3};
        assertThat(Normalization.normalizeAttr(v, VisualizeSign.ALL, 2))
                .containsExactly(-0.5f, 0.25f, -1f, 0.75f);
        assertThat(Normalization.normalizeAttr(v, VisualizeSign.POSITIVE, 2))
                .containsExactly(-0f, 1f / 3, -0f, 1f);
        assertThat(Normalization.normalizeAttr(v, VisualizeSign.NEGATIVE, 2))
                .containsExactly(0.5f, -0f, 1f, -0f);
    }

    static List<MatplotlibReference.NormCase> cases() {
        return MatplotlibReference.normalisationCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesCaptumsFormulaComputedInNumpy(MatplotlibReference.NormCase c) {
        Raster attr = new Raster(c.shape()[0], c.shape()[1], c.shape()[2], c.attr());
        float[] combined = attr.sumChannels();
        float[] magnitude = new float[combined.length];
        for (int i = 0; i < combined.length; i++) {
            float v = combined[i];
            magnitude[i] =
                    switch (c.sign()) {
                        case POSITIVE -> Math.max(v, 0f);
                        case NEGATIVE -> Math.max(-v, 0f);
                        default -> Math.abs(v);
                    };
        }
        float scale = Normalization.cumulativeSumThreshold(magnitude, 100 - c.outlierPerc());
        assertThat(c.sign() == VisualizeSign.NEGATIVE ? -scale : scale).isEqualTo(c.scale());
        assertThat(Normalization.normalizeAttr(combined, c.sign(), c.outlierPerc()))
                .containsExactly(c.expected());
    }

    @Test
    void zeroAttributionsGiveZerosInsteadOfFailing() {
        assertThat(Normalization.normalizeAttr(new float[6], VisualizeSign.ALL, 2))
                .containsOnly(0f);
        assertThat(Normalization.normalizeAttr(new float[] {-1, -2}, VisualizeSign.POSITIVE, 2))
                .containsOnly(0f);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(
                        () -> Normalization.normalizeAttr(new float[] {1}, VisualizeSign.ALL, 101))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outlierPerc must be in [0, 100], got 101.0");
        assertThatThrownBy(
                        () ->
                                Normalization.normalizeAttr(
                                        new float[] {1, Float.NaN}, VisualizeSign.ALL, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attr must be finite, got NaN at pixel 1");
    }
}
