package io.github.captum4j.core.approx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** nSteps that would take unbounded time or memory fail up front, naming nSteps and the cost. */
class QuadratureSizeTest {

    @Test
    void gaussLegendreBeyondItsBoundNamesNStepsAndTheWork() {
        assertThatThrownBy(() -> ApproximationMethod.GAUSS_LEGENDRE.quadrature(20_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps")
                .hasMessageContaining("20000");
        assertThat(ApproximationMethod.GAUSS_LEGENDRE.quadrature(50).alphas()).hasSize(50);
    }

    @Test
    void aRiemannRuleBeyondTheHeapNamesNStepsAndTheEstimate() {
        for (ApproximationMethod m :
                new ApproximationMethod[] {
                    ApproximationMethod.RIEMANN_TRAPEZOID, ApproximationMethod.RIEMANN_LEFT
                }) {
            assertThatThrownBy(() -> m.check(Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nSteps")
                    .hasMessageContaining("GB");
            assertThatThrownBy(() -> m.quadrature(Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nSteps");
        }
    }
}
