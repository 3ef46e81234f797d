package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

class LinearModelsTest {

    /** Binary rows (as Lime's samples), weights in (0.1, 1.1), y = 0.5 + x·beta + noise. */
    private static double[][][] problem(long seed, int s, int f, double[] beta, double noise) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[s][f];
        double[] y = new double[s];
        double[] w = new double[s];
        for (int i = 0; i < s; i++) {
            y[i] = 0.5;
            for (int j = 0; j < f; j++) {
                x[i][j] = r.nextBoolean() ? 1 : 0;
                y[i] += x[i][j] * beta[j];
            }
            y[i] += noise * (r.nextDouble() - 0.5);
            w[i] = 0.1 + r.nextDouble();
        }
        return new double[][][] {x, {y}, {w}};
    }

    @Test
    void linearRegressionRecoversAnExactLinearFunction() {
        double[] beta = {1.5, -2, 0, 0.25};
        double[][][] p = problem(1, 40, 4, beta, 0);
        double[] fit = LinearModels.linearRegression(p[0], p[1][0], p[2][0]);
        for (int j = 0; j < beta.length; j++) {
            assertThat(fit[j]).isCloseTo(beta[j], within(1e-9));
        }
    }

    @Test
    void linearRegressionGivesTheMinimumNormSolutionWhenUnderdetermined() {
        // Two identical columns: any split of their sum fits; the minimum norm splits it evenly.
        double[][] x = {{1, 1, 0}, {0, 0, 1}, {1, 1, 1}, {0, 0, 0}};
        double[] y = {2, 3, 5, 0};
        double[] w = {1, 1, 1, 1};
        double[] fit = LinearModels.linearRegression(x, y, w);
        assertThat(fit[0]).isCloseTo(1, within(1e-9));
        assertThat(fit[1]).isCloseTo(1, within(1e-9));
        assertThat(fit[2]).isCloseTo(3, within(1e-9));
    }

    /**
     * Least-squares optimality: the weighted residual is orthogonal to every centred column and
     * sums to zero with the weights (the intercept), also with KernelShap's 1e6 endpoint weights.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1, 1e6})
    void linearRegressionSatisfiesTheNormalEquations(double endpointWeight) {
        double[] beta = {0.4, -1.3, 0.02, 0, 0.75, -0.1};
        double[][][] p = problem(5, 120, 6, beta, 0.3);
        double[][] x = p[0];
        double[] y = p[1][0];
        double[] w = p[2][0];
        java.util.Arrays.fill(x[0], 1);
        java.util.Arrays.fill(x[1], 0);
        w[0] = endpointWeight;
        w[1] = endpointWeight;
        y[0] = 0.5 + java.util.Arrays.stream(beta).sum();
        y[1] = 0.5;
        double[] fit = LinearModels.linearRegression(x, y, w);
        assertLeastSquaresOptimal(x, y, w, fit);
        // The noise is small: the fit stays near the generating coefficients.
        for (int j = 0; j < 6; j++) {
            assertThat(fit[j]).isCloseTo(beta[j], within(0.15));
        }
    }

    @Test
    void linearRegressionOfAnIllConditionedDesignMatchesTheExactSolution() {
        // Column 1 = column 0 + 1e-7 on one row: solvable, but with a Gram condition beyond the
        // Cholesky threshold, so the SVD answers; y = x0 + 2 x2 exactly.
        double[][] x = {{1, 1, 0}, {0, 0, 1}, {1, 1, 1}, {0, 1e-7, 0}, {1, 1, 0}, {0, 0, 0}};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i][0] + 2 * x[i][2];
        }
        double[] fit = LinearModels.linearRegression(x, y, new double[] {1, 1, 1, 1, 1, 1});
        assertThat(fit[0]).isCloseTo(1, within(1e-6));
        assertThat(fit[1]).isCloseTo(0, within(1e-6));
        assertThat(fit[2]).isCloseTo(2, within(1e-9));
    }

    /** The weighted residual is orthogonal to every column and to the intercept. */
    private static void assertLeastSquaresOptimal(
            double[][] x, double[] y, double[] w, double[] fit) {
        int f = fit.length;
        double wsum = 0;
        double intercept = 0;
        for (int i = 0; i < y.length; i++) {
            wsum += w[i];
            double r = y[i];
            for (int k = 0; k < f; k++) {
                r -= x[i][k] * fit[k];
            }
            intercept += w[i] * r;
        }
        intercept /= wsum;
        double[] gradient = new double[f + 1];
        for (int i = 0; i < y.length; i++) {
            double r = y[i] - intercept;
            for (int k = 0; k < f; k++) {
                r -= x[i][k] * fit[k];
            }
            for (int j = 0; j < f; j++) {
                gradient[j] += w[i] * x[i][j] * r;
            }
            gradient[f] += w[i] * r;
        }
        for (double g : gradient) {
            assertThat(Math.abs(g) / wsum).isLessThan(1e-9);
        }
    }

    @Test
    void linearRegressionOfRealValuedRowsSatisfiesTheNormalEquations() {
        SplittableRandom r = new SplittableRandom(6);
        double[][] x = new double[90][5];
        double[] y = new double[90];
        double[] w = new double[90];
        for (int i = 0; i < 90; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = 3 + r.nextGaussian();
            }
            y[i] = 2 * x[i][0] - x[i][3] + 0.1 * r.nextGaussian();
            w[i] = 0.5 + r.nextDouble();
        }
        double[] fit = LinearModels.linearRegression(x, y, w);
        assertLeastSquaresOptimal(x, y, w, fit);
        assertThat(fit[0]).isCloseTo(2, within(0.05));
        assertThat(fit[3]).isCloseTo(-1, within(0.05));
    }

    /**
     * The in-place fit of byte samples (Lime's layout: samples of one example contiguous, targets
     * strided over the examples) equals the fit of the same rows, also when the design is rank
     * deficient (a feature always present) and the SVD decides.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void linearRegressionOfSamplesEqualsTheRowFit(boolean rankDeficient) {
        int examples = 3;
        int s = 50;
        int f = 4;
        SplittableRandom r = new SplittableRandom(7);
        byte[] z = new byte[examples * s * f];
        float[] y = new float[s * examples];
        float[] w = new float[s * examples];
        for (int i = 0; i < z.length; i++) {
            z[i] = (byte) (r.nextBoolean() || (rankDeficient && i % f == 2) ? 1 : 0);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextGaussian();
            w[i] = i % 7 == 0 ? 1e6f : 1f;
        }
        for (int e = 0; e < examples; e++) {
            double[][] rows = new double[s][f];
            double[] ys = new double[s];
            double[] ws = new double[s];
            for (int k = 0; k < s; k++) {
                for (int j = 0; j < f; j++) {
                    rows[k][j] = z[(e * s + k) * f + j];
                }
                ys[k] = y[k * examples + e];
                ws[k] = w[k * examples + e];
            }
            double[] expected = LinearModels.linearRegression(rows, ys, ws);
            double[] actual =
                    LinearModels.linearRegressionOfSamples(z, e * s * f, s, f, y, w, e, examples);
            for (int j = 0; j < f; j++) {
                assertThat(actual[j]).isCloseTo(expected[j], within(1e-9));
            }
            if (rankDeficient) {
                assertThat(actual[2]).isCloseTo(0, within(1e-9));
            }
        }
    }

    /**
     * A constant column carries no information: the minimum-norm solution gives it 0 and fits the
     * others, whether the rows are 0/1 or real-valued and whatever rounding the centring leaves.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.3, 7.1})
    void aConstantColumnGetsZero(double constant) {
        for (long seed = 0; seed < 20; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int s = 60;
            double[][] x = new double[s][3];
            double[] y = new double[s];
            double[] w = new double[s];
            for (int i = 0; i < s; i++) {
                x[i][0] = r.nextBoolean() ? 1 : 0;
                x[i][1] = constant;
                x[i][2] = constant == 1.0 ? (r.nextBoolean() ? 1 : 0) : r.nextGaussian();
                y[i] = 0.7 * x[i][0] - 1.2 * x[i][2] + 0.4;
                w[i] = i < 2 ? 1e6 : 0.1 + r.nextDouble();
            }
            double[] fit = LinearModels.linearRegression(x, y, w);
            assertThat(fit[1]).isCloseTo(0, within(1e-6));
            assertThat(fit[0]).isCloseTo(0.7, within(1e-6));
            assertThat(fit[2]).isCloseTo(-1.2, within(1e-6));
        }
    }

    @Test
    void lassoWithoutPenaltyIsLeastSquares() {
        double[] beta = {0.3, -0.7, 1.1};
        double[][][] p = problem(2, 60, 3, beta, 0.2);
        double[] ls = LinearModels.linearRegression(p[0], p[1][0], p[2][0]);
        double[] lasso = LinearModels.lasso(p[0], p[1][0], p[2][0], 0);
        for (int j = 0; j < 3; j++) {
            assertThat(lasso[j]).isCloseTo(ls[j], within(1e-4));
        }
    }

    @Test
    void lassoWithALargePenaltyIsZero() {
        double[][][] p = problem(3, 30, 3, new double[] {0.01, -0.02, 0.01}, 0.01);
        assertThat(LinearModels.lasso(p[0], p[1][0], p[2][0], 1.0)).containsOnly(0.0);
    }

    /**
     * The Lasso optimality (KKT) conditions of scikit-learn's objective with weights normalised to
     * sum to S: for the centred, weight-scaled data, \( |x_j^\top r| / S \le \alpha \) where \(
     * \beta_j = 0 \) and \( = \alpha \) with the sign of \( \beta_j \) otherwise.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.001, 0.01, 0.05})
    void lassoSatisfiesTheOptimalityConditions(double alpha) {
        double[] beta = {0.4, -0.3, 0.02, 0, 0.15};
        double[][][] p = problem(4, 80, 5, beta, 0.1);
        double[][] x = p[0];
        double[] y = p[1][0];
        double[] w = p[2][0];
        double[] fit = LinearModels.lasso(x, y, w, alpha);
        int s = y.length;
        double wsum = 0;
        for (double v : w) {
            wsum += v;
        }
        double[] xm = new double[5];
        double ym = 0;
        for (int i = 0; i < s; i++) {
            ym += w[i] * y[i] / wsum;
            for (int j = 0; j < 5; j++) {
                xm[j] += w[i] * x[i][j] / wsum;
            }
        }
        boolean anyZero = false;
        for (int j = 0; j < 5; j++) {
            double g = 0;
            for (int i = 0; i < s; i++) {
                double r = y[i] - ym;
                for (int k = 0; k < 5; k++) {
                    r -= (x[i][k] - xm[k]) * fit[k];
                }
                g += (w[i] * s / wsum) * (x[i][j] - xm[j]) * r;
            }
            g /= s;
            if (fit[j] == 0) {
                anyZero = true;
                assertThat(Math.abs(g)).isLessThanOrEqualTo(alpha + 1e-3 * alpha);
            } else {
                assertThat(g).isCloseTo(alpha * Math.signum(fit[j]), within(2e-2 * alpha));
            }
        }
        if (alpha >= 0.05) {
            assertThat(anyZero).isTrue();
        }
    }
}
