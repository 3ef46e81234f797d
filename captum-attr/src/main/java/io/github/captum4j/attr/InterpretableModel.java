package io.github.captum4j.attr;

/**
 * The surrogate model that {@link Lime} and {@link KernelShap} fit to the model's outputs on the
 * interpretable samples (Captum's {@code interpretable_model}): a weighted regression from binary
 * interpretable features to the target output, whose coefficients are the attributions. Captum's
 * models: {@link SkLearnLasso} (Lime's default), {@link SkLearnLinearRegression} (KernelShap's) and
 * {@link SkLearnRidge}; any implementation may be passed.
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
     * {@link SkLearnLasso}{@code (alpha)}: Lasso with an intercept, Captum's default for {@link
     * Lime} with {@code alpha = 0.01}.
     *
     * @param alpha the L1 strength, {@code >= 0}
     * @return the model
     */
    static InterpretableModel lasso(double alpha) {
        return new SkLearnLasso(alpha);
    }

    /**
     * {@link SkLearnLinearRegression}{@code ()}: weighted least squares with an intercept, the
     * model of {@link KernelShap}.
     *
     * @return the model
     */
    static InterpretableModel linearRegression() {
        return new SkLearnLinearRegression();
    }
}
