package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

/**
 * Kernel SHAP: Lime with the weighting, sampling and surrogate that make its coefficients estimate
 * Shapley values: a weighted linear regression (no penalty) over coalitions drawn with the Shapley
 * kernel,
 *
 * <p>\( \pi(z) = \frac{F - 1}{\binom{F}{|z|}\, |z|\, (F - |z|)} \),
 *
 * <p>realised as in Captum by drawing the coalition size \( k \) with probability \( \propto (F -
 * 1) / (k (F - k)) \), then a uniformly random coalition of that size, all with weight 1; the empty
 * and the full coalition come first with weight \( 10^6 \) (standing for infinity, so that the fit
 * satisfies \( \sum_f \beta_f \approx F(x) - F(x') \)). Converges to the exact Shapley values as
 * {@code nSamples} grows; exact for a linear model once the samples determine the fit.
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>; Captum's {@code KernelShap}.
 *
 * <p>Inputs, options and outputs as {@link Lime} (its {@link Lime.Options}: Captum's {@code
 * KernelShap.attribute} takes Lime's arguments).
 *
 * <pre>{@code
 * KernelShap ks = new KernelShap(ForwardFunction.blackBox(model));
 * try (Attribution a = ks.attribute(Inputs.of(x).withBaselines(Baselines.tensors(reference)),
 *         Target.index(1), Lime.Options.builder().nSamples(200).perturbationsPerEval(200).build())) {
 *     ...
 * }
 * }</pre>
 */
public final class KernelShap implements AttributionMethod<Lime.Options> {

    private final Lime lime;

    /**
     * Kernel SHAP of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public KernelShap(ForwardFunction forwardFunction) {
        this.lime =
                new Lime(
                        "Kernel Shap",
                        forwardFunction,
                        InterpretableModel.linearRegression(),
                        (original, perturbed, interpretable) -> LimeKernels.shapley(interpretable),
                        KernelShap::sample);
    }

    /** {@inheritDoc} */
    @Override
    public Attribution attribute(Inputs inputs, Target target, Lime.Options options) {
        return lime.attribute(inputs, target, options);
    }

    /** {@inheritDoc} */
    @Override
    public Lime.Options defaultOptions() {
        return lime.defaultOptions();
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasConvergenceDelta() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public boolean multipliesByInputs() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public boolean usesBaselines() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return lime.name();
    }

    /**
     * Captum's {@code kernel_shap_perturb_generator}, vectorised: per example the full coalition,
     * the empty one, then coalitions whose size \( k \in [1, F-1] \) is drawn with probability \(
     * \propto (F-1)/(k(F-k)) \) (inverse CDF of uniform draws) and whose members are the \( k \)
     * largest of \( F \) standard normal draws.
     */
    static NDArray sample(int examples, int nSamples, int features, NDManager m) {
        Shape shape = new Shape(examples, nSamples, features);
        NDArray out;
        if (features < 2) {
            // One feature: only the endpoints exist (Captum's distribution is undefined there).
            out = m.zeros(shape, DataType.BOOLEAN);
        } else {
            double[] cdf = new double[features - 1];
            double total = 0;
            for (int k = 1; k < features; k++) {
                total += (features - 1.0) / (k * (double) (features - k));
                cdf[k - 1] = total;
            }
            for (int k = 0; k < cdf.length; k++) {
                cdf[k] /= total;
            }
            NDArray u = m.randomUniform(0f, 1f, new Shape(examples, nSamples, 1), DataType.FLOAT64);
            // k - 1 = number of CDF steps below u.
            NDArray size =
                    u.gt(m.create(cdf).reshape(1, 1, features - 1))
                            .toType(DataType.INT64, false)
                            .sum(new int[] {2}, true)
                            .add(1);
            NDArray rankOf = m.randomNormal(shape).argSort(2).argSort(2);
            out = rankOf.gte(size.neg().add(features));
        }
        NDArray full = m.ones(new Shape(examples, 1, features), DataType.BOOLEAN);
        if (nSamples == 1) {
            return full;
        }
        NDArray ends =
                NDArrays.concat(
                        new NDList(
                                full, m.zeros(new Shape(examples, 1, features), DataType.BOOLEAN)),
                        1);
        return NDArrays.concat(new NDList(ends, out.get(":, 2:, :")), 1);
    }
}
