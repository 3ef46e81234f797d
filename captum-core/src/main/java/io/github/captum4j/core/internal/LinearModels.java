package io.github.captum4j.core.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Weighted linear fits of the surrogate models of Lime and KernelShap, as scikit-learn fits them
 * for Captum's {@code SkLearnLinearRegression}, {@code SkLearnLasso} and {@code SkLearnRidge}: with
 * an intercept, the data centred on the weighted means (without one, not centred) and each row
 * scaled by the square root of its weight. Only the coefficients are returned (Captum's {@code
 * representation()}).
 *
 * <p>Not API: may change without notice.
 */
public final class LinearModels {

    /** scikit-learn's Lasso defaults. */
    static final int LASSO_MAX_ITER = 1000;

    static final double LASSO_TOL = 1e-4;

    /**
     * Smallest accepted Cholesky pivot, relative to the squared norm of its column: below it the
     * design's singular values span more than 5 decades and the SVD decides the solution.
     */
    static final double CHOLESKY_RCOND = 1e-10;

    /**
     * A column whose centred weighted sum of squares is below this fraction of its uncentred one is
     * constant up to rounding: the SVD gives it its minimum-norm coefficient, 0.
     */
    static final double CONSTANT_RTOL = 1e-12;

    private LinearModels() {}

    /**
     * Checks up front that a fit of {@code s} samples of {@code f} features fits the heap: the
     * normal equations' {@code f x f} Gram matrix when {@code f < s}, and the copies of the {@code
     * s x f} design that the SVD makes (about four).
     *
     * @param s number of samples
     * @param f number of features
     * @throws IllegalArgumentException naming both sizes and the estimate when it does not fit
     */
    public static void checkFitSize(int s, int f) {
        String argument = "nSamples (" + s + ") with " + f + " features";
        long design = Sizes.product(argument, s, f, 4);
        long gram = f < s ? Sizes.product(argument, f, f) : 0;
        Sizes.memory(argument, Math.addExact(design, gram), Double.BYTES);
    }

    /**
     * Weighted least squares with an intercept, the minimum-norm solution when the system is rank
     * deficient (scikit-learn's {@code LinearRegression().fit(x, y, sample_weight=w)}, which calls
     * LAPACK's {@code gelsd}). Well-conditioned designs are solved through the normal equations by
     * Cholesky; rank-deficient or ill-conditioned ones through EJML's SVD pseudo-inverse.
     *
     * @param x rows of features, {@code (S, F)}
     * @param y targets {@code (S)}
     * @param w sample weights {@code (S)}, {@code >= 0}
     * @return the coefficients {@code (F)}
     */
    public static double[] linearRegression(double[][] x, double[] y, double[] w) {
        return linearRegression(x, y, w, true);
    }

    /**
     * {@link #linearRegression(double[][], double[], double[])}, with or without the intercept
     * ({@code LinearRegression(fit_intercept=...)}); without it the data are not centred.
     *
     * @param x rows of features, {@code (S, F)}
     * @param y targets {@code (S)}
     * @param w sample weights {@code (S)}, {@code >= 0}
     * @param fitIntercept whether an intercept is fitted
     * @return the coefficients {@code (F)}
     */
    public static double[] linearRegression(
            double[][] x, double[] y, double[] w, boolean fitIntercept) {
        Means means = Means.of(x, y, w, fitIntercept);
        int f = means.x().length;
        checkFitSize(y.length, f);
        if (f >= y.length) {
            // Centred, the design has rank < S <= F: the normal equations are singular, and the
            // SVD of the S x F design solves in the samples' dimension, O(S^2 F), with no F x F.
            return pseudoInverse(Centred.of(x, y, w, means));
        }
        double[] viaCholesky = normalEquations(x, y, w, means);
        return viaCholesky != null ? viaCholesky : pseudoInverse(Centred.of(x, y, w, means));
    }

    /**
     * The least-squares solution from the normal equations \( X^\top X \beta = X^\top y \) by
     * Cholesky, or {@code null} when a pivot falls below {@link #CHOLESKY_RCOND} times its column's
     * squared norm (a rank-deficient or ill-conditioned design, which the SVD must resolve). An
     * accepted factorisation bounds the Gram matrix's conditioning near \( 10^{10} \), so the
     * coefficients keep a relative accuracy near {@code 1e-6} or better, far below float32
     * outputs'.
     */
    private static double[] normalEquations(double[][] x, double[] y, double[] w, Means means) {
        int f = means.x().length;
        double[] g = new double[f * f];
        double[] b = new double[f];
        if (means.binary()) {
            binaryGram(x, y, w, means, g, b);
        } else {
            denseGram(x, y, w, means, g, b);
        }
        return choleskySolve(g, b, means.squares());
    }

    /**
     * Solves \( G \beta = b \) for the centred Gram matrix {@code G} given by its upper triangle
     * (row-major, overwritten), or returns {@code null} when a column is constant (its diagonal
     * entry below {@link #CONSTANT_RTOL} times its uncentred sum of squares) or a pivot falls below
     * {@link #CHOLESKY_RCOND} times its diagonal entry (collinear columns).
     */
    private static double[] choleskySolve(double[] g, double[] b, double[] squares) {
        int f = b.length;
        // In-place Cholesky of the upper triangle: G = R^T R.
        for (int j = 0; j < f; j++) {
            double diag = g[j * f + j];
            if (!(diag > CONSTANT_RTOL * squares[j])) {
                return null;
            }
            for (int p = 0; p < j; p++) {
                diag -= g[p * f + j] * g[p * f + j];
            }
            if (!(diag > CHOLESKY_RCOND * g[j * f + j])) {
                return null;
            }
            double r = Math.sqrt(diag);
            g[j * f + j] = r;
            for (int k = j + 1; k < f; k++) {
                double v = g[j * f + k];
                for (int p = 0; p < j; p++) {
                    v -= g[p * f + j] * g[p * f + k];
                }
                g[j * f + k] = v / r;
            }
        }
        // Solve R^T z = b, then R beta = z.
        for (int j = 0; j < f; j++) {
            double v = b[j];
            for (int p = 0; p < j; p++) {
                v -= g[p * f + j] * b[p];
            }
            b[j] = v / g[j * f + j];
        }
        for (int j = f - 1; j >= 0; j--) {
            double v = b[j];
            for (int k = j + 1; k < f; k++) {
                v -= g[j * f + k] * b[k];
            }
            b[j] = v / g[j * f + j];
        }
        return b;
    }

    /**
     * {@link #linearRegression} of 0/1 samples stored as bytes, read in place: sample {@code k} is
     * {@code z[offset + k·f ..]} (non-zero = 1), its target {@code y[yOffset + k·yStride]} and its
     * weight {@code w[yOffset + k·yStride]}. The Gram matrix is accumulated over the ones only;
     * designs the Cholesky path declines go through the general (SVD) path.
     *
     * @param z the samples
     * @param offset where the first sample starts
     * @param s number of samples
     * @param f features per sample
     * @param y targets
     * @param w weights, {@code >= 0}
     * @param yOffset index of the first sample's target and weight
     * @param yStride distance between consecutive samples' targets and weights
     * @return the coefficients {@code (f)}
     */
    public static double[] linearRegressionOfSamples(
            byte[] z, int offset, int s, int f, float[] y, float[] w, int yOffset, int yStride) {
        Checks.argument(s > 0, "at least one sample is needed to fit a model, got none");
        double total = 0;
        double yMean = 0;
        for (int k = 0, i = yOffset; k < s; k++, i += yStride) {
            if (!(w[i] >= 0 && Float.isFinite(w[i]))) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w[i]);
            }
            total += w[i];
            yMean += (double) w[i] * y[i];
        }
        Checks.argument(total > 0, "the weights must not all be 0");
        checkFitSize(s, f);
        if (f >= s) {
            return linearRegression(
                    binaryRows(z, offset, s, f),
                    ys(y, yOffset, yStride, s),
                    ys(w, yOffset, yStride, s));
        }
        yMean /= total;
        double[] g = new double[Sizes.elements("features", f, f)];
        double[] b = new double[f];
        double[] sx = new double[f];
        int[] ones = new int[f];
        for (int k = 0, i = yOffset; k < s; k++, i += yStride) {
            if (w[i] == 0) {
                continue;
            }
            int row = offset + k * f;
            int count = 0;
            for (int j = 0; j < f; j++) {
                if (z[row + j] != 0) {
                    ones[count++] = j;
                }
            }
            addOnes(ones, count, w[i], y[i] - yMean, g, b, sx);
        }
        double[] squares = sx.clone();
        subtractMeanOuter(g, sx, total);
        double[] beta = choleskySolve(g, b, squares);
        if (beta != null) {
            return beta;
        }
        return linearRegression(
                binaryRows(z, offset, s, f),
                ys(y, yOffset, yStride, s),
                ys(w, yOffset, yStride, s));
    }

    /** Samples stored as bytes, as 0/1 rows. */
    private static double[][] binaryRows(byte[] z, int offset, int s, int f) {
        double[][] rows = new double[s][f];
        for (int k = 0; k < s; k++) {
            for (int j = 0; j < f; j++) {
                rows[k][j] = z[offset + k * f + j] != 0 ? 1 : 0;
            }
        }
        return rows;
    }

    /** {@code s} values read with a stride. */
    private static double[] ys(float[] v, int offset, int stride, int s) {
        double[] out = new double[s];
        for (int k = 0, i = offset; k < s; k++, i += stride) {
            out[k] = v[i];
        }
        return out;
    }

    /** The centred weighted Gram matrix (upper triangle) and moment vector, from dense rows. */
    private static void denseGram(
            double[][] x, double[] y, double[] w, Means means, double[] g, double[] b) {
        int f = b.length;
        double[] d = new double[f];
        for (int i = 0; i < y.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            double[] row = x[i];
            for (int j = 0; j < f; j++) {
                d[j] = row[j] - means.x()[j];
            }
            double dy = y[i] - means.y();
            for (int j = 0; j < f; j++) {
                double v = w[i] * d[j];
                b[j] += v * dy;
                int base = j * f;
                for (int k = j; k < f; k++) {
                    g[base + k] += v * d[k];
                }
            }
        }
    }

    /**
     * The same for 0/1 rows (Lime's samples), visiting only the ones: \( \sum_i w_i x_i x_i^\top -
     * W \bar x \bar x^\top \) and \( \sum_i w_i x_i (y_i - \bar y) \), which equal the centred sums
     * because \( \sum_i w_i (y_i - \bar y) = 0 \) and \( \sum_i w_i x_i = W \bar x \).
     */
    private static void binaryGram(
            double[][] x, double[] y, double[] w, Means means, double[] g, double[] b) {
        int f = b.length;
        int[] ones = new int[f];
        double[] sx = new double[f];
        for (int i = 0; i < y.length; i++) {
            if (w[i] == 0) {
                continue;
            }
            int count = 0;
            for (int j = 0; j < f; j++) {
                if (x[i][j] != 0) {
                    ones[count++] = j;
                }
            }
            addOnes(ones, count, w[i], y[i] - means.y(), g, b, sx);
        }
        subtractMeanOuter(g, sx, means.total());
    }

    /** Adds one 0/1 sample, given by the indices of its ones, to the uncentred sums. */
    private static void addOnes(
            int[] ones, int count, double weight, double dy, double[] g, double[] b, double[] sx) {
        int f = b.length;
        for (int a = 0; a < count; a++) {
            int base = ones[a] * f;
            sx[ones[a]] += weight;
            b[ones[a]] += weight * dy;
            for (int c = a; c < count; c++) {
                g[base + ones[c]] += weight;
            }
        }
    }

    /** \( G \leftarrow G - s s^\top / W \) on the upper triangle: centres an uncentred Gram. */
    private static void subtractMeanOuter(double[] g, double[] sx, double total) {
        int f = sx.length;
        for (int j = 0; j < f; j++) {
            for (int k = j; k < f; k++) {
                g[j * f + k] -= sx[j] * sx[k] / total;
            }
        }
    }

    /** The minimum-norm least-squares solution through EJML's SVD pseudo-inverse. */
    private static double[] pseudoInverse(Centred c) {
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        DMatrixRMaj a = new DMatrixRMaj(c.x);
        DMatrixRMaj b = new DMatrixRMaj(c.y.length, 1, true, c.y);
        DMatrixRMaj coef = new DMatrixRMaj(a.numCols, 1);
        if (!solver.setA(a)) {
            throw new IllegalStateException("the least-squares decomposition failed");
        }
        solver.solve(b, coef);
        return coef.getData().clone();
    }

    /**
     * L1-regularised weighted least squares with an intercept, by scikit-learn's cyclic coordinate
     * descent ({@code Lasso(alpha).fit(x, y, sample_weight=w)}: weights rescaled to sum to {@code
     * S}, objective \( \frac{1}{2S} \sum_s w_s (y_s - x_s \beta - b)^2 + \alpha \lVert \beta
     * \rVert_1 \), at most 1000 sweeps, stopping on the duality gap with tolerance {@code 1e-4}).
     *
     * @param x rows of features, {@code (S, F)}
     * @param y targets {@code (S)}
     * @param w sample weights {@code (S)}, {@code >= 0}
     * @param alpha the L1 strength, {@code >= 0}
     * @return the coefficients {@code (F)}
     */
    public static double[] lasso(double[][] x, double[] y, double[] w, double alpha) {
        return lasso(x, y, w, alpha, true);
    }

    /**
     * {@link #lasso(double[][], double[], double[], double)}, with or without the intercept ({@code
     * Lasso(alpha, fit_intercept=...)}); without it the data are not centred.
     *
     * @param x rows of features, {@code (S, F)}
     * @param y targets {@code (S)}
     * @param w sample weights {@code (S)}, {@code >= 0}
     * @param alpha the L1 strength, {@code >= 0}
     * @param fitIntercept whether an intercept is fitted
     * @return the coefficients {@code (F)}
     */
    public static double[] lasso(
            double[][] x, double[] y, double[] w, double alpha, boolean fitIntercept) {
        int s = y.length;
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] sw = new double[s];
        for (int i = 0; i < s; i++) {
            sw[i] = w[i] * s / total;
        }
        Centred c = Centred.of(x, y, sw, Means.of(x, y, sw, fitIntercept));
        return coordinateDescent(c.x, c.y, alpha * s);
    }

    /**
     * L2-regularised weighted least squares, as scikit-learn's {@code Ridge(alpha,
     * fit_intercept).fit(x, y, sample_weight=w)}: the weights are used as given (not rescaled), the
     * objective is \( \sum_s w_s (y_s - x_s \beta - b)^2 + \alpha \lVert \beta \rVert_2^2 \),
     * solved exactly from \( (X^\top W X + \alpha I) \beta = X^\top W y \) on the centred data (not
     * centred without an intercept). {@code alpha = 0} is {@link #linearRegression}.
     *
     * @param x rows of features, {@code (S, F)}
     * @param y targets {@code (S)}
     * @param w sample weights {@code (S)}, {@code >= 0}
     * @param alpha the L2 strength, {@code >= 0}
     * @param fitIntercept whether an intercept is fitted
     * @return the coefficients {@code (F)}
     */
    public static double[] ridge(
            double[][] x, double[] y, double[] w, double alpha, boolean fitIntercept) {
        if (alpha == 0) {
            return linearRegression(x, y, w, fitIntercept);
        }
        Means means = Means.of(x, y, w, fitIntercept);
        int f = means.x().length;
        checkFitSize(y.length, f);
        double[] g = new double[Sizes.elements("features", f, f)];
        double[] b = new double[f];
        denseGram(x, y, w, means, g, b);
        double[] full = new double[f * f];
        for (int j = 0; j < f; j++) {
            g[j * f + j] += alpha;
            for (int k = j; k < f; k++) {
                full[j * f + k] = g[j * f + k];
                full[k * f + j] = g[j * f + k];
            }
        }
        double[] rhs = b.clone();
        double[] viaCholesky = choleskySolve(g, b, new double[f]);
        if (viaCholesky != null) {
            return viaCholesky;
        }
        // positive definite in exact arithmetic; rounding on a near-singular Gram ends here
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        DMatrixRMaj coef = new DMatrixRMaj(f, 1);
        if (!solver.setA(new DMatrixRMaj(f, f, true, full))) {
            throw new IllegalStateException("the ridge decomposition failed");
        }
        solver.solve(new DMatrixRMaj(f, 1, true, rhs), coef);
        return coef.getData().clone();
    }

    /** scikit-learn's {@code enet_coordinate_descent} with {@code beta = 0}, cyclic. */
    private static double[] coordinateDescent(double[][] x, double[] y, double l1) {
        int s = y.length;
        int f = s == 0 ? 0 : x[0].length;
        double[] beta = new double[f];
        double[] r = y.clone();
        double[] norms = new double[f];
        for (int j = 0; j < f; j++) {
            for (int i = 0; i < s; i++) {
                norms[j] += x[i][j] * x[i][j];
            }
        }
        double tol = LASSO_TOL * dot(y, y);
        if (tol == 0) {
            return beta; // constant targets: the zero solution is exact
        }
        for (int iter = 0; iter < LASSO_MAX_ITER; iter++) {
            double wMax = 0;
            double dwMax = 0;
            for (int j = 0; j < f; j++) {
                if (norms[j] == 0) {
                    continue;
                }
                double old = beta[j];
                if (old != 0) {
                    for (int i = 0; i < s; i++) {
                        r[i] += old * x[i][j];
                    }
                }
                double t = 0;
                for (int i = 0; i < s; i++) {
                    t += x[i][j] * r[i];
                }
                double shrunk = Math.max(Math.abs(t) - l1, 0);
                beta[j] = shrunk == 0 ? 0 : Math.copySign(shrunk, t) / norms[j];
                if (beta[j] != 0) {
                    for (int i = 0; i < s; i++) {
                        r[i] -= beta[j] * x[i][j];
                    }
                }
                dwMax = Math.max(dwMax, Math.abs(beta[j] - old));
                wMax = Math.max(wMax, Math.abs(beta[j]));
            }
            if (wMax == 0 || dwMax / wMax < LASSO_TOL || iter == LASSO_MAX_ITER - 1) {
                if (dualityGap(x, y, r, beta, l1) < tol) {
                    break;
                }
            }
        }
        return beta;
    }

    private static double dualityGap(
            double[][] x, double[] y, double[] r, double[] beta, double l1) {
        int s = y.length;
        double dualNorm = 0;
        for (int j = 0; j < beta.length; j++) {
            double v = 0;
            for (int i = 0; i < s; i++) {
                v += x[i][j] * r[i];
            }
            dualNorm = Math.max(dualNorm, Math.abs(v));
        }
        double rNorm2 = dot(r, r);
        double constant;
        double gap;
        if (dualNorm > l1) {
            constant = l1 / dualNorm;
            gap = 0.5 * (rNorm2 + rNorm2 * constant * constant);
        } else {
            constant = 1;
            gap = rNorm2;
        }
        double l1Norm = 0;
        for (double b : beta) {
            l1Norm += Math.abs(b);
        }
        return gap + l1 * l1Norm - constant * dot(r, y);
    }

    private static double dot(double[] a, double[] b) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i] * b[i];
        }
        return t;
    }

    /**
     * The weighted means of validated data, their total weight, whether every x is 0 or 1, and each
     * column's uncentred weighted sum of squares.
     */
    private record Means(double[] x, double y, double total, boolean binary, double[] squares) {
        /**
         * The weighted means, or, without an intercept, zero means (the data are then used as they
         * are; the 0/1 shortcut, which relies on centring, is off).
         */
        static Means of(double[][] x, double[] y, double[] w, boolean fitIntercept) {
            Means m = centred(x, y, w);
            return fitIntercept
                    ? m
                    : new Means(new double[m.x().length], 0, m.total(), false, m.squares());
        }

        private static Means centred(double[][] x, double[] y, double[] w) {
            int s = y.length;
            Checks.argument(
                    x.length == s && w.length == s,
                    "x, y and weights must have the same number of samples, got %s, %s and %s",
                    x.length,
                    s,
                    w.length);
            Checks.argument(s > 0, "at least one sample is needed to fit a model, got none");
            int f = x[0].length;
            double total = 0;
            double[] xMean = new double[f];
            double[] squares = new double[f];
            double yMean = 0;
            boolean binary = true;
            for (int i = 0; i < s; i++) {
                if (!(w[i] >= 0 && Double.isFinite(w[i]))) {
                    throw new IllegalArgumentException(
                            "weights must be finite and >= 0, got " + w[i]);
                }
                total += w[i];
                yMean += w[i] * y[i];
                for (int j = 0; j < f; j++) {
                    double v = x[i][j];
                    xMean[j] += w[i] * v;
                    squares[j] += w[i] * v * v;
                    binary &= v == 0 || v == 1;
                }
            }
            Checks.argument(total > 0, "the weights must not all be 0");
            for (int j = 0; j < f; j++) {
                xMean[j] /= total;
            }
            return new Means(xMean, yMean / total, total, binary, squares);
        }
    }

    /**
     * Data centred on the weighted means, rows scaled by the square roots of the weights; constant
     * columns are exactly 0.
     */
    private record Centred(double[][] x, double[] y) {
        static Centred of(double[][] x, double[] y, double[] w, Means means) {
            int s = y.length;
            int f = means.x().length;
            double[][] cx = new double[s][f];
            double[] cy = new double[s];
            for (int i = 0; i < s; i++) {
                double root = Math.sqrt(w[i]);
                cy[i] = (y[i] - means.y()) * root;
                for (int j = 0; j < f; j++) {
                    cx[i][j] = (x[i][j] - means.x()[j]) * root;
                }
            }
            // A column constant up to the rounding of its mean is exactly constant: zero it, so
            // that the SVD and the Lasso give it the coefficient 0.
            for (int j = 0; j < f; j++) {
                double centred = 0;
                for (int i = 0; i < s; i++) {
                    centred += cx[i][j] * cx[i][j];
                }
                if (centred <= CONSTANT_RTOL * means.squares()[j]) {
                    for (int i = 0; i < s; i++) {
                        cx[i][j] = 0;
                    }
                }
            }
            return new Centred(cx, cy);
        }
    }
}
