package io.github.captum4j.attr;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.LinearModels;

/**
 * The surrogate model that {@link Lime} and {@link KernelShap} fit to the model's outputs on the
 * interpretable samples (Captum's {@code interpretable_model}): a weighted regression from binary
 * interpretable features to the target output, whose coefficients are the attributions.
 *
 * <pre>{@code
 * Lime lime = new Lime(model, InterpretableModel.lasso(0.05), Lime.SimilarityFunction.DEFAULT,
 *         Lime.PerturbFunction.DEFAULT);
 * }</pre>
 *
 * <p>Implementations must be thread-safe (one instance serves concurrent calls).
 */
@FunctionalInterface
public interface InterpretableModel {

    /**
     * Fits the model and returns its coefficients (the intercept is fitted but not returned).
     *
     * @param interpretableInputs the samples, {@code (S, F)} of 0/1
     * @param outputs the model's target output per sample {@code (S)}
     * @param weights the similarity of each sample to the input {@code (S)}, {@code >= 0}
     * @return one coefficient per interpretable feature {@code (F)}
     */
    double[] fit(double[][] interpretableInputs, double[] outputs, double[] weights);

    /**
     * Lasso (L1-regularised linear regression) with an intercept, fitted as scikit-learn's {@code
     * Lasso(alpha).fit(x, y, sample_weight=w)} by cyclic coordinate descent: Captum's default for
     * {@link Lime}, {@code SkLearnLasso(alpha=0.01)}.
     *
     * @param alpha the L1 strength, {@code >= 0}
     * @return the model
     */
    static InterpretableModel lasso(double alpha) {
        Checks.argument(
                alpha >= 0 && Double.isFinite(alpha),
                "alpha must be finite and >= 0, got %s",
                alpha);
        return (x, y, w) -> LinearModels.lasso(x, y, w, alpha);
    }

    /**
     * Weighted least squares with an intercept, the minimum-norm solution when the samples do not
     * determine it (scikit-learn's {@code LinearRegression}: Captum's {@code
     * SkLearnLinearRegression}, the model of {@link KernelShap}).
     *
     * @return the model
     */
    static InterpretableModel linearRegression() {
        return Surrogates.LINEAR_REGRESSION;
    }
}
