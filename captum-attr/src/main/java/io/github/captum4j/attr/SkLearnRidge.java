package io.github.captum4j.attr;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.LinearModels;

/**
 * L2-regularised least squares as a {@link Lime} surrogate, Captum's {@code SkLearnRidge}
 * (scikit-learn's {@code Ridge(alpha, fit_intercept).fit(z, y, sample_weight=w)}).
 *
 * <p>Fitting rule, scikit-learn's: the weights are used as given (unlike {@link SkLearnLasso}, not
 * rescaled), \( \hat\beta = \arg\min_{\beta, b} \sum_s w_s (y_s - z_s^\top \beta - b)^2 + \alpha
 * \lVert \beta \rVert_2^2 \). With an intercept the samples are centred on their weighted means (so
 * {@code b} is not penalised and not returned); without one nothing is centred. Solved exactly from
 * \( (Z^\top W Z + \alpha I) \beta = Z^\top W y \) by Cholesky (scikit-learn's {@code cholesky}
 * solver, the one {@code auto} picks for dense data); {@code alpha = 0} is {@link
 * SkLearnLinearRegression}.
 *
 * <pre>{@code
 * Lime lime = new Lime(model, new SkLearnRidge(0.5), Lime.SimilarityFunction.DEFAULT,
 *         Lime.PerturbFunction.DEFAULT);
 * }</pre>
 *
 * @param alpha the L2 strength, finite and {@code >= 0} (scikit-learn's default 1.0)
 * @param fitIntercept whether an intercept is fitted (default true)
 */
public record SkLearnRidge(double alpha, boolean fitIntercept) implements InterpretableModel {

    /** scikit-learn's default {@code alpha}. */
    public static final double DEFAULT_ALPHA = 1.0;

    /**
     * Checks the components.
     *
     * @param alpha the L2 strength, finite and {@code >= 0} (scikit-learn's default 1.0)
     * @param fitIntercept whether an intercept is fitted (default true)
     */
    public SkLearnRidge {
        Checks.finiteNonNegative(alpha, "alpha");
    }

    /**
     * Ridge with an intercept.
     *
     * @param alpha the L2 strength, finite and {@code >= 0}
     */
    public SkLearnRidge(double alpha) {
        this(alpha, true);
    }

    /** scikit-learn's defaults: {@code alpha = 1.0}, with an intercept. */
    public SkLearnRidge() {
        this(DEFAULT_ALPHA, true);
    }

    /** {@inheritDoc} */
    @Override
    public double[] fit(double[][] interpretableInputs, double[] outputs, double[] weights) {
        return LinearModels.ridge(interpretableInputs, outputs, weights, alpha, fitIntercept);
    }
}
