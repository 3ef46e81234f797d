package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

/**
 * Lime's interpretable models under Captum's names, checked by their optimality conditions (the
 * fitting rules their Javadoc states) and by how each treats the sample weights and the intercept.
 */
class SkLearnModelsTest {

    private static final int S = 60;
    private static final int F = 4;
    private static final double[] BETA = {0.8, -0.5, 0.05, 0.3};

    private final double[][] z = new double[S][F];
    private final double[] y = new double[S];
    private final double[] w = new double[S];

    /** Binary samples, weights in (0.1, 1.1), y = 2 + z·BETA + noise. */
    SkLearnModelsTest() {
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < S; i++) {
            y[i] = 2;
            for (int j = 0; j < F; j++) {
                z[i][j] = r.nextBoolean() ? 1 : 0;
                y[i] += z[i][j] * BETA[j];
            }
            y[i] += 0.2 * (r.nextDouble() - 0.5);
            w[i] = 0.1 + r.nextDouble();
        }
    }

    /**
     * The gradient of the weighted squared error, \( \sum_s w_s (z_{sj} - m_j) r_s \), with the
     * weighted means m when fitting an intercept and 0 otherwise.
     */
    private double[] errorGradient(double[] weights, double[] beta, boolean intercept) {
        double total = 0;
        double[] mz = new double[F];
        double my = 0;
        for (int i = 0; i < S; i++) {
            total += weights[i];
            my += weights[i] * y[i];
            for (int j = 0; j < F; j++) {
                mz[j] += weights[i] * z[i][j];
            }
        }
        for (int j = 0; j < F; j++) {
            mz[j] = intercept ? mz[j] / total : 0;
        }
        my = intercept ? my / total : 0;
        double[] g = new double[F];
        for (int i = 0; i < S; i++) {
            double res = y[i] - my;
            for (int k = 0; k < F; k++) {
                res -= (z[i][k] - mz[k]) * beta[k];
            }
            for (int j = 0; j < F; j++) {
                g[j] += weights[i] * (z[i][j] - mz[j]) * res;
            }
        }
        return g;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void linearRegressionZeroesTheErrorGradientWithOrWithoutIntercept(boolean intercept) {
        double[] beta = new SkLearnLinearRegression(intercept).fit(z, y, w);
        for (double g : errorGradient(w, beta, intercept)) {
            assertThat(g).isCloseTo(0, within(1e-9));
        }
        // the data have an intercept of 2: only the model fitting one recovers the slopes
        double gap = Math.abs(beta[0] - BETA[0]);
        if (intercept) {
            assertThat(gap).isLessThan(0.1);
        } else {
            assertThat(gap).isGreaterThan(0.1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void ridgeBalancesTheErrorGradientAgainstItsPenalty(boolean intercept) {
        double alpha = 3;
        double[] beta = new SkLearnRidge(alpha, intercept).fit(z, y, w);
        double[] g = errorGradient(w, beta, intercept);
        for (int j = 0; j < F; j++) {
            assertThat(g[j]).isCloseTo(alpha * beta[j], within(1e-9));
        }
    }

    @Test
    void ridgeUsesTheWeightsAsGivenSoScalingThemScalesAlphaDown() {
        double[] scaled = new double[S];
        for (int i = 0; i < S; i++) {
            scaled[i] = 4 * w[i];
        }
        double[] a = new SkLearnRidge(2).fit(z, y, scaled);
        double[] b = new SkLearnRidge(0.5).fit(z, y, w);
        double[] c = new SkLearnRidge(2).fit(z, y, w);
        for (int j = 0; j < F; j++) {
            assertThat(a[j]).isCloseTo(b[j], within(1e-12));
        }
        assertThat(Math.abs(a[0] - c[0])).isGreaterThan(1e-3);
        double[] zeroAlpha = new SkLearnRidge(0).fit(z, y, w);
        double[] ols = new SkLearnLinearRegression().fit(z, y, w);
        assertThat(zeroAlpha).containsExactly(ols);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lassoRescalesTheWeightsToSumToTheSampleCountAndMeetsItsOptimality(boolean intercept) {
        double alpha = 0.02;
        double[] beta = new SkLearnLasso(alpha, intercept).fit(z, y, w);
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] rescaled = new double[S];
        double[] scaled = new double[S];
        for (int i = 0; i < S; i++) {
            rescaled[i] = w[i] * S / total;
            scaled[i] = 7 * w[i];
        }
        // (1/S) sum w'_s z_sj r_s = alpha sign(beta_j) where beta_j != 0, |.| <= alpha otherwise
        double[] g = errorGradient(rescaled, beta, intercept);
        for (int j = 0; j < F; j++) {
            double gj = g[j] / S;
            if (beta[j] == 0) {
                assertThat(Math.abs(gj)).isLessThanOrEqualTo(alpha * 1.001);
            } else {
                assertThat(gj).isCloseTo(alpha * Math.signum(beta[j]), within(0.02 * alpha));
            }
        }
        assertThat(new SkLearnLasso(alpha, intercept).fit(z, y, scaled))
                .containsExactly(beta, within(1e-9));
    }

    @Test
    void captumsDefaultsAndArgumentChecks() {
        assertThat(new SkLearnLasso()).isEqualTo(new SkLearnLasso(1.0, true));
        assertThat(new SkLearnRidge()).isEqualTo(new SkLearnRidge(1.0, true));
        assertThat(new SkLearnLinearRegression().fitIntercept()).isTrue();
        assertThat(InterpretableModel.lasso(0.01)).isEqualTo(new SkLearnLasso(0.01));
        assertThat(InterpretableModel.linearRegression()).isEqualTo(new SkLearnLinearRegression());
        assertThatThrownBy(() -> new SkLearnLasso(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alpha must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> new SkLearnRidge(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha must be finite and >= 0");
    }
}
