package io.github.captum4j.conformance.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ToleranceTest {

    @Test
    void passesWithinAtolPlusRtolTimesExpected() {
        Tolerance t = new Tolerance(0.1, 0.01);
        // allowed: 0.01 + 0.1 * |e|
        Tolerance.Result ok =
                t.check(new double[] {1.1, 0.005, -2.2}, new double[] {1.0, 0.0, -2.0});
        assertThat(ok.passed()).isTrue();
        assertThat(ok.maxAbsError()).isCloseTo(0.2, Offset.offset(1e-12));
        // 0.005 against 0 is below atol: no relative error; 0.2 / 2.0 is the largest.
        assertThat(ok.maxRelError()).isCloseTo(0.1, Offset.offset(1e-12));
        Tolerance.Result bad = t.check(new double[] {1.12, 0.0}, new double[] {1.0, 0.0});
        assertThat(bad.passed()).isFalse();
        assertThat(bad.failures()).isEqualTo(1);
        assertThat(bad.detail()).contains("flat index 0");
    }

    @Test
    void nanAndShapeMismatchFail() {
        Tolerance t = new Tolerance(1e-4, 1e-5);
        assertThat(t.check(new double[] {Double.NaN}, new double[] {0}).passed()).isFalse();
        assertThat(t.check(new double[] {Double.NaN}, new double[] {Double.NaN}).passed()).isTrue();
        try (NDManager m = NDManager.newBaseManager()) {
            Tolerance.Result r = t.check(m.zeros(new Shape(2, 3)), m.zeros(new Shape(3, 2)));
            assertThat(r.passed()).isFalse();
            assertThat(r.detail()).isEqualTo("shape (2, 3) does not match expected shape (3, 2)");
            assertThat(t.check(m.ones(new Shape(2, 3)), m.ones(new Shape(2, 3))).passed()).isTrue();
        }
    }

    @Test
    void resultsCombine() {
        Tolerance t = new Tolerance(0, 0.1);
        Tolerance.Result a = t.check(new double[] {0.05}, new double[] {0});
        Tolerance.Result b = t.check(new double[] {0.5}, new double[] {0});
        Tolerance.Result both = Tolerance.Result.empty().and(a).and(b);
        assertThat(both.passed()).isFalse();
        assertThat(both.maxAbsError()).isEqualTo(0.5);
        assertThat(both.elements()).isEqualTo(2);
        assertThat(both.detail()).isEqualTo(b.detail());
    }

    @Test
    void negativeTolerancesAreRejected() {
        assertThatThrownBy(() -> new Tolerance(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rtol must be finite and >= 0, got -1.0");
    }
}
