package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Surrogate fits with more features than samples (an unmasked image): solved in the samples'
 * dimension, they give the minimum-norm interpolating solution that Captum's underdetermined
 * least-squares solve gives, without an F x F matrix.
 */
class WideLinearModelsTest {

    private static final int S = 12;

    /** 50,001 features: an F x F Gram would overflow an int index (and need 20 GB). */
    private static final int F = 50_001;

    @Test
    void wideDenseFitInterpolatesWithTheMinimumNorm() {
        SplittableRandom r = new SplittableRandom(3);
        double[][] x = new double[S][F];
        double[] y = new double[S];
        double[] w = new double[S];
        for (int i = 0; i < S; i++) {
            for (int j = 0; j < F; j++) {
                x[i][j] = r.nextDouble() - 0.5;
            }
            y[i] = r.nextDouble();
            w[i] = 1;
        }
        double[] beta = LinearModels.linearRegression(x, y, w);
        assertInterpolatesWithMinimumNorm(x, y, beta);
    }

    @Test
    void wideBinarySamplesFitInterpolatesWithTheMinimumNorm() {
        SplittableRandom r = new SplittableRandom(4);
        byte[] z = new byte[S * F];
        float[] y = new float[S];
        float[] w = new float[S];
        double[][] x = new double[S][F];
        double[] yd = new double[S];
        for (int i = 0; i < S; i++) {
            for (int j = 0; j < F; j++) {
                z[i * F + j] = (byte) (r.nextBoolean() ? 1 : 0);
                x[i][j] = z[i * F + j];
            }
            y[i] = (float) r.nextDouble();
            yd[i] = y[i];
            w[i] = 1;
        }
        double[] beta = LinearModels.linearRegressionOfSamples(z, 0, S, F, y, w, 0, 1);
        assertInterpolatesWithMinimumNorm(x, yd, beta);
    }

    @Test
    void aFitThatCannotFitInMemoryFailsUpFrontNamingTheSizes() {
        // 100,000 samples of 40,000 features: F x F and S x F both far beyond any heap.
        assertThatThrownBy(() -> LinearModels.checkFitSize(100_000, 40_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSamples")
                .hasMessageContaining("features")
                .hasMessageContaining("GB");
        LinearModels.checkFitSize(50, 150_528); // an unmasked 3x224x224 image with 50 samples
    }

    /**
     * The fit with an intercept is exact (rank S - 1 < F after centring), and beta is orthogonal to
     * the null space of the centred rows: it lies in their span, the minimum-norm solution.
     */
    private static void assertInterpolatesWithMinimumNorm(double[][] x, double[] y, double[] beta) {
        assertThat(beta).hasSize(F);
        double[] mean = new double[F];
        double yMean = 0;
        for (int i = 0; i < S; i++) {
            yMean += y[i] / S;
            for (int j = 0; j < F; j++) {
                mean[j] += x[i][j] / S;
            }
        }
        double[][] basis = new double[S][];
        for (int i = 0; i < S; i++) {
            double[] c = new double[F];
            double fitted = 0;
            for (int j = 0; j < F; j++) {
                c[j] = x[i][j] - mean[j];
                fitted += c[j] * beta[j];
            }
            assertThat(fitted).isCloseTo(y[i] - yMean, within(1e-8));
            basis[i] = c;
        }
        // Gram-Schmidt over the centred rows, then a random vector's component outside their span.
        double[][] q = new double[S][];
        int rank = 0;
        for (double[] c : basis) {
            double[] v = c.clone();
            for (int k = 0; k < rank; k++) {
                axpy(-dot(v, q[k]), q[k], v);
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm > 1e-9) {
                for (int j = 0; j < F; j++) {
                    v[j] /= norm;
                }
                q[rank++] = v;
            }
        }
        SplittableRandom r = new SplittableRandom(5);
        double[] v = new double[F];
        for (int j = 0; j < F; j++) {
            v[j] = r.nextDouble() - 0.5;
        }
        for (int k = 0; k < rank; k++) {
            axpy(-dot(v, q[k]), q[k], v);
        }
        double scale = Math.sqrt(dot(v, v) * dot(beta, beta));
        assertThat(dot(v, beta) / scale).isCloseTo(0, within(1e-9));
    }

    private static double dot(double[] a, double[] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i] * b[i];
        }
        return t;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
