package io.github.captum4j.attr;

import io.github.captum4j.core.internal.LinearModels;

/**
 * Weighted least squares as a {@link Lime} surrogate, Captum's {@code SkLearnLinearRegression}
 * (scikit-learn's {@code LinearRegression(fit_intercept).fit(z, y, sample_weight=w)}); the
 * surrogate of {@link KernelShap}.
 *
 * <p>Fitting rule: \( \hat\beta = \arg\min_{\beta, b} \sum_s w_s (y_s - z_s^\top \beta - b)^2 \).
 * With an intercept the samples are centred on their weighted means and {@code b} is not returned;
 * without one nothing is centred and {@code b = 0}. The weights' scale does not matter. When the
 * samples do not determine \( \beta \) (fewer distinct samples than features, or collinear
 * features) the minimum-norm solution is returned, as LAPACK's {@code gelsd} that scikit-learn
 * calls. Well-conditioned designs are solved by Cholesky on the normal equations, the others by an
 * SVD pseudo-inverse.
 *
 * <pre>{@code
 * Lime lime = new Lime(model, new SkLearnLinearRegression(), Lime.SimilarityFunction.DEFAULT,
 *         Lime.PerturbFunction.DEFAULT);
 * }</pre>
 *
 * @param fitIntercept whether an intercept is fitted (scikit-learn's default true)
 */
public record SkLearnLinearRegression(boolean fitIntercept) implements InterpretableModel {

    /** scikit-learn's defaults: with an intercept. */
    public SkLearnLinearRegression() {
        this(true);
    }

    /** {@inheritDoc} */
    @Override
    public double[] fit(double[][] interpretableInputs, double[] outputs, double[] weights) {
        return LinearModels.linearRegression(interpretableInputs, outputs, weights, fitIntercept);
    }
}
