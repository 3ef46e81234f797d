package io.github.captum4j.core.approx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

class ApproximationMethodTest {

    @Test
    void gaussLegendreTwoPointsAreTheClassicalNodes() {
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(2);
        double h = 0.5 / Math.sqrt(3);
        assertThat(q.alphas()).containsExactly(new double[] {0.5 - h, 0.5 + h}, within(1e-15));
        assertThat(q.weights()).containsExactly(new double[] {0.5, 0.5}, within(1e-15));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 20, 50, 200})
    void gaussLegendreIsExactForPolynomialsOfDegreeTwoNMinusOne(int n) {
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(n);
        for (int degree = 0; degree <= Math.min(2 * n - 1, 60); degree++) {
            double integral = 0;
            for (int k = 0; k < n; k++) {
                integral += q.weight(k) * Math.pow(q.alpha(k), degree);
            }
            assertThat(integral)
                    .as("degree %d", degree)
                    .isCloseTo(1.0 / (degree + 1), within(1e-12));
        }
        double[] alphas = q.alphas();
        double[] sorted = alphas.clone();
        Arrays.sort(sorted);
        assertThat(alphas).containsExactly(sorted);
        assertThat(alphas[0]).isGreaterThan(0);
        assertThat(alphas[n - 1]).isLessThan(1);
    }

    @Test
    void riemannRulesUseCaptumsPointsAndEqualSteps() {
        assertThat(ApproximationMethod.RIEMANN_LEFT.quadrature(4).alphas())
                .containsExactly(new double[] {0, 0.25, 0.5, 0.75}, within(1e-7));
        assertThat(ApproximationMethod.RIEMANN_RIGHT.quadrature(4).alphas())
                .containsExactly(new double[] {0.25, 0.5, 0.75, 1}, within(1e-7));
        assertThat(ApproximationMethod.RIEMANN_MIDDLE.quadrature(4).alphas())
                .containsExactly(new double[] {0.125, 0.375, 0.625, 0.875}, within(1e-7));
        assertThat(ApproximationMethod.RIEMANN_TRAPEZOID.quadrature(5).alphas())
                .containsExactly(new double[] {0, 0.25, 0.5, 0.75, 1}, within(1e-7));
        assertThat(ApproximationMethod.RIEMANN_LEFT.quadrature(4).weights())
                .containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void trapezoidKeepsCaptumsStepSizesWhoseSumIsNMinusOneOverN() {
        // Captum's riemann_trapezoid: n steps of 1/n with both ends halved.
        double[] w = ApproximationMethod.RIEMANN_TRAPEZOID.quadrature(4).weights();
        assertThat(w).containsExactly(0.125, 0.25, 0.25, 0.125);
    }

    @Test
    void riemannPointsAreFloat32LikeTorchLinspace() {
        double[] a = ApproximationMethod.RIEMANN_MIDDLE.quadrature(7).alphas();
        for (double v : a) {
            assertThat((double) (float) v).isEqualTo(v);
        }
    }

    @ParameterizedTest
    @EnumSource(ApproximationMethod.class)
    void rejectsFewerThanOneStep(ApproximationMethod m) {
        assertThatThrownBy(() -> m.quadrature(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nSteps must be >= 1, got 0");
    }

    @ParameterizedTest
    @EnumSource(
            value = ApproximationMethod.class,
            names = {"RIEMANN_LEFT", "RIEMANN_RIGHT", "RIEMANN_MIDDLE", "RIEMANN_TRAPEZOID"})
    void riemannRulesNeedTwoSteps(ApproximationMethod m) {
        assertThatThrownBy(() -> m.quadrature(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps must be >= 2");
    }

    @Test
    void sliceKeepsPointsAndWeights() {
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(10);
        Quadrature s = q.slice(3, 7);
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.alpha(0)).isEqualTo(q.alpha(3));
        assertThat(s.weight(3)).isEqualTo(q.weight(6));
        assertThatThrownBy(() -> q.slice(5, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
