package io.github.captum4j.attr;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.LinearModels;

/**
 * L1-regularised least squares as a {@link Lime} surrogate, Captum's {@code SkLearnLasso}
 * (scikit-learn's {@code Lasso(alpha, fit_intercept).fit(z, y, sample_weight=w)}); Lime's default
 * is {@code SkLearnLasso(alpha=0.01)}.
 *
 * <p>Fitting rule, scikit-learn's: the weights are first rescaled to sum to the number of samples
 * \( S \), \( w'_s = S\, w_s / \sum_t w_t \); then \( \hat\beta = \arg\min_{\beta, b} \frac{1}{2S}
 * \sum_s w'_s (y_s - z_s^\top \beta - b)^2 + \alpha \lVert \beta \rVert_1 \). With an intercept the
 * samples are centred on their weighted means (so {@code b} is not penalised and not returned);
 * without one nothing is centred. Solved by scikit-learn's cyclic coordinate descent from \( \beta
 * = 0 \): at most 1000 sweeps, stopping when the largest coefficient change of a sweep is below
 * {@code 1e-4} of the largest coefficient and the duality gap is below {@code 1e-4} times \( \lVert
 * \sqrt{w'} y \rVert^2 \) of the (centred) targets.
 *
 * <pre>{@code
 * Lime lime = new Lime(model, new SkLearnLasso(0.05), Lime.SimilarityFunction.DEFAULT,
 *         Lime.PerturbFunction.DEFAULT);
 * }</pre>
 *
 * @param alpha the L1 strength, finite and {@code >= 0} (scikit-learn's default 1.0)
 * @param fitIntercept whether an intercept is fitted (default true)
 */
public record SkLearnLasso(double alpha, boolean fitIntercept) implements InterpretableModel {

    /** scikit-learn's default {@code alpha}. */
    public static final double DEFAULT_ALPHA = 1.0;

    /**
     * Checks the components.
     *
     * @param alpha the L1 strength, finite and {@code >= 0} (scikit-learn's default 1.0)
     * @param fitIntercept whether an intercept is fitted (default true)
     */
    public SkLearnLasso {
        Checks.finiteNonNegative(alpha, "alpha");
    }

    /**
     * Lasso with an intercept.
     *
     * @param alpha the L1 strength, finite and {@code >= 0}
     */
    public SkLearnLasso(double alpha) {
        this(alpha, true);
    }

    /** scikit-learn's defaults: {@code alpha = 1.0}, with an intercept. */
    public SkLearnLasso() {
        this(DEFAULT_ALPHA, true);
    }

    /** {@inheritDoc} */
    @Override
    public double[] fit(double[][] interpretableInputs, double[] outputs, double[] weights) {
        return LinearModels.lasso(interpretableInputs, outputs, weights, alpha, fitIntercept);
    }
}
