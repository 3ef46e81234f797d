package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;

/**
 * Captum's attribution-quality metrics: {@link #infidelity} and {@link #sensitivityMax}, with
 * Captum's semantics, argument names and defaults. Both return one score per example, attached to
 * the manager of the first input; intermediates are freed before they return. The algorithms live
 * in their own package-private classes ({@code Infidelity}, {@code SensitivityMax}); this class is
 * their entry point and holds their options.
 *
 * <pre>{@code
 * NDArray attr = saliency.attribute(Inputs.of(x), Target.index(3)).attribution(0);
 * NDArray infid = Metrics.infidelity(model, InfidelityPerturbation.gaussian(0.003),
 *         Inputs.of(x), new NDList(attr), Target.index(3), Metrics.InfidelityOptions.DEFAULTS);
 * NDArray sens = Metrics.sensitivityMax(saliency::attribute, Inputs.of(x), Target.index(3),
 *         Metrics.SensitivityOptions.DEFAULTS);
 * }</pre>
 */
public final class Metrics {

    private Metrics() {}

    /**
     * Options of {@link #infidelity}.
     *
     * @param nPerturbSamples perturbations per example, {@code >= 1} (default 10)
     * @param maxExamplesPerBatch at most this many perturbed rows per forward pass (at least one
     *     sample per example), or {@code null} for all at once (default)
     * @param normalize whether to rescale the attributions by the optimal \( \beta \) first, so the
     *     score is invariant to scaling the attributions (default false)
     * @param seed libtorch seed for random perturbation functions, or {@code null} (default)
     */
    public record InfidelityOptions(
            int nPerturbSamples, Integer maxExamplesPerBatch, boolean normalize, Integer seed) {

        /** Captum's defaults. */
        public static final InfidelityOptions DEFAULTS =
                new InfidelityOptions(10, null, false, null);

        /**
         * Validates every component.
         *
         * @param nPerturbSamples perturbations per example, {@code >= 1} (default 10)
         * @param maxExamplesPerBatch at most this many perturbed rows per forward pass (at least
         *     one sample per example), or {@code null} for all at once (default)
         * @param normalize whether to rescale the attributions by the optimal \( \beta \) first, so
         *     the score is invariant to scaling the attributions (default false)
         * @param seed libtorch seed for random perturbation functions, or {@code null} (default)
         */
        public InfidelityOptions {
            Checks.atLeast(nPerturbSamples, 1, "nPerturbSamples");
            Checks.argument(
                    maxExamplesPerBatch == null || maxExamplesPerBatch >= 1,
                    "maxExamplesPerBatch must be >= 1 or null, got %s",
                    maxExamplesPerBatch);
        }

        /**
         * A copy with another {@code nPerturbSamples}.
         *
         * @param value perturbations per example
         * @return the copy
         */
        public InfidelityOptions withNPerturbSamples(int value) {
            return new InfidelityOptions(value, maxExamplesPerBatch, normalize, seed);
        }

        /**
         * A copy with another {@code maxExamplesPerBatch}.
         *
         * @param value rows per pass, or null
         * @return the copy
         */
        public InfidelityOptions withMaxExamplesPerBatch(Integer value) {
            return new InfidelityOptions(nPerturbSamples, value, normalize, seed);
        }

        /**
         * A copy with another {@code normalize}.
         *
         * @param value whether to normalize
         * @return the copy
         */
        public InfidelityOptions withNormalize(boolean value) {
            return new InfidelityOptions(nPerturbSamples, maxExamplesPerBatch, value, seed);
        }

        /**
         * A copy with another {@code seed}.
         *
         * @param value the seed, or null
         * @return the copy
         */
        public InfidelityOptions withSeed(Integer value) {
            return new InfidelityOptions(nPerturbSamples, maxExamplesPerBatch, normalize, value);
        }
    }

    /**
     * Options of {@link #sensitivityMax}.
     *
     * @param perturbRadius the radius passed to the perturbation function (default 0.02)
     * @param nPerturbSamples perturbations per example, {@code >= 1} (default 10)
     * @param normOrd the order p of the vector norm of each example's flattened explanation change:
     *     2 is Captum's default {@code "fro"}; {@code Double.POSITIVE_INFINITY} the max norm; any p
     *     {@code > 0}
     * @param maxExamplesPerBatch at most this many perturbed rows per explanation call, or {@code
     *     null} for all at once (default)
     * @param seed libtorch seed for random perturbation functions, or {@code null} (default)
     */
    public record SensitivityOptions(
            float perturbRadius,
            int nPerturbSamples,
            double normOrd,
            Integer maxExamplesPerBatch,
            Integer seed) {

        /** Captum's defaults. */
        public static final SensitivityOptions DEFAULTS =
                new SensitivityOptions(0.02f, 10, 2, null, null);

        /**
         * Validates every component.
         *
         * @param perturbRadius the radius passed to the perturbation function (default 0.02)
         * @param nPerturbSamples perturbations per example, {@code >= 1} (default 10)
         * @param normOrd the order p of the vector norm of each example's flattened explanation
         *     change: 2 is Captum's default {@code "fro"}; {@code Double.POSITIVE_INFINITY} the max
         *     norm; any p {@code > 0}
         * @param maxExamplesPerBatch at most this many perturbed rows per explanation call, or
         *     {@code null} for all at once (default)
         * @param seed libtorch seed for random perturbation functions, or {@code null} (default)
         */
        public SensitivityOptions {
            Checks.argument(
                    perturbRadius >= 0 && Float.isFinite(perturbRadius),
                    "perturbRadius must be finite and >= 0, got %s",
                    perturbRadius);
            Checks.atLeast(nPerturbSamples, 1, "nPerturbSamples");
            Checks.argument(normOrd > 0, "normOrd must be > 0 (2 = Frobenius), got %s", normOrd);
            Checks.argument(
                    maxExamplesPerBatch == null || maxExamplesPerBatch >= 1,
                    "maxExamplesPerBatch must be >= 1 or null, got %s",
                    maxExamplesPerBatch);
        }

        /**
         * A copy with another {@code perturbRadius}.
         *
         * @param value the radius
         * @return the copy
         */
        public SensitivityOptions withPerturbRadius(float value) {
            return new SensitivityOptions(
                    value, nPerturbSamples, normOrd, maxExamplesPerBatch, seed);
        }

        /**
         * A copy with another {@code nPerturbSamples}.
         *
         * @param value perturbations per example
         * @return the copy
         */
        public SensitivityOptions withNPerturbSamples(int value) {
            return new SensitivityOptions(perturbRadius, value, normOrd, maxExamplesPerBatch, seed);
        }

        /**
         * A copy with another {@code normOrd}.
         *
         * @param value the norm's order
         * @return the copy
         */
        public SensitivityOptions withNormOrd(double value) {
            return new SensitivityOptions(
                    perturbRadius, nPerturbSamples, value, maxExamplesPerBatch, seed);
        }

        /**
         * A copy with another {@code maxExamplesPerBatch}.
         *
         * @param value rows per call, or null
         * @return the copy
         */
        public SensitivityOptions withMaxExamplesPerBatch(Integer value) {
            return new SensitivityOptions(perturbRadius, nPerturbSamples, normOrd, value, seed);
        }

        /**
         * A copy with another {@code seed}.
         *
         * @param value the seed, or null
         * @return the copy
         */
        public SensitivityOptions withSeed(Integer value) {
            return new SensitivityOptions(
                    perturbRadius, nPerturbSamples, normOrd, maxExamplesPerBatch, value);
        }
    }

    /**
     * Infidelity: how well the attributions predict the change of the output under perturbations \(
     * I \) (Yeh et al., "On the (In)fidelity and Sensitivity of Explanations", 2019, <a
     * href="https://arxiv.org/abs/1901.09392">arXiv:1901.09392</a>):
     *
     * <p>\( \mathrm{INFD}(\Phi, f, x) = \mathbb{E}_{I} \big[ (I^\top \Phi(f, x) - (f(x) - f(x -
     * I)))^2 \big] \)
     *
     * <p>estimated with {@code nPerturbSamples} perturbations per example; with {@code normalize}
     * the attributions are first scaled by \( \beta = \mathbb{E}[I^\top\Phi\,(f(x) - f(x - I))] /
     * \mathbb{E}[(I^\top\Phi)^2] \). Lower is better; 0 for attributions that are exact on the
     * perturbations (e.g. the gradient of a linear model).
     *
     * @param forward the model
     * @param perturb the perturbation function
     * @param inputs the inputs (their baselines are passed to {@code perturb})
     * @param attributions one attribution per input, of the inputs' shapes
     * @param target the target
     * @param options the options
     * @return one score per example, shape {@code (N)}
     */
    public static NDArray infidelity(
            ForwardFunction forward,
            InfidelityPerturbation perturb,
            Inputs inputs,
            NDList attributions,
            Target target,
            InfidelityOptions options) {
        return new Infidelity(forward, perturb, inputs, attributions, target, options).compute();
    }

    /**
     * Maximum sensitivity: the largest relative change of the explanation under small input
     * perturbations (Yeh et al., 2019, <a
     * href="https://arxiv.org/abs/1901.09392">arXiv:1901.09392</a>):
     *
     * <p>\( \mathrm{SENS}_{max}(\Phi, x) = \max_{\|y - x\| \le r} \|\Phi(y) - \Phi(x)\|_p /
     * \|\Phi(x)\|_p \)
     *
     * <p>estimated over {@code nPerturbSamples} perturbations per example (default: uniform in the
     * \( L_\infty \) ball of radius {@code perturbRadius}). A zero explanation norm counts as 1, as
     * in Captum. Baselines of the inputs' shape and per-example additional arguments and targets
     * are expanded with the batch.
     *
     * @param explanation the explanation, e.g. {@code saliency::attribute}
     * @param perturb the perturbation, e.g. {@link SensitivityPerturbation#uniformLinf()}
     * @param inputs the inputs, baselines and additional arguments
     * @param target the target
     * @param options the options
     * @return one score per example, shape {@code (N)}
     */
    public static NDArray sensitivityMax(
            ExplanationFunction explanation,
            SensitivityPerturbation perturb,
            Inputs inputs,
            Target target,
            SensitivityOptions options) {
        return new SensitivityMax(explanation, perturb, inputs, target, options).compute();
    }
}
