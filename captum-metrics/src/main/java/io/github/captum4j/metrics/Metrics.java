package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.internal.Targets;

import java.util.List;

/**
 * Captum's attribution-quality metrics: {@link #infidelity} and {@link #sensitivityMax}, with
 * Captum's semantics, argument names and defaults. Both return one score per example, attached to
 * the manager of the first input; intermediates are freed before they return.
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

        /** Validates every component. */
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

        /** Validates every component. */
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
        Checks.notNull(forward, "forward");
        Checks.notNull(perturb, "perturb");
        Checks.notNull(inputs, "inputs");
        Checks.notNull(options, "options");
        checkSameShapes(inputs, Checks.notNull(attributions, "attributions"));
        Targets.validate(target, inputs.batchSize());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            Scope.borrow(scratch, attributions);
            int n = inputs.batchSize();
            NDList x = inputs.tensors();
            NDList baselines = BaselineExpansion.expand(inputs.baselines(), x, scratch);
            NDArray fx = Gradients.forwardSelected(forward, x, inputs.additionalArgs(), target);
            // sum over samples of (a - b)^2, or of a^2, ab, b^2 to normalise afterwards
            NDList sums =
                    SampleBatches.aggregate(
                            n,
                            options.nPerturbSamples(),
                            options.maxExamplesPerBatch(),
                            scratch,
                            (copies, batch, pass) -> {
                                Scope.borrow(pass, List.of(fx));
                                Scope.borrow(pass, x);
                                Scope.borrow(pass, baselines);
                                Scope.borrow(pass, attributions);
                                InfidelityPerturbation.Perturbed p =
                                        Randomness.draw(
                                                SampleBatches.seedFor(options.seed(), batch),
                                                () ->
                                                        perturb.perturb(
                                                                Expansion.expand(
                                                                        x,
                                                                        copies,
                                                                        Expansion.Layout
                                                                                .REPEAT_INTERLEAVE),
                                                                Expansion.expand(
                                                                        baselines,
                                                                        copies,
                                                                        Expansion.Layout
                                                                                .REPEAT_INTERLEAVE)));
                                checkPerturbed(x, p, copies);
                                NDArray fp =
                                        Gradients.forwardSelected(
                                                forward,
                                                p.perturbedInputs(),
                                                Expansion.expandArgs(
                                                        inputs.additionalArgs(),
                                                        n,
                                                        copies,
                                                        Expansion.Layout.REPEAT_INTERLEAVE),
                                                Expansion.expand(
                                                        target,
                                                        copies,
                                                        Expansion.Layout.REPEAT_INTERLEAVE));
                                NDArray diffs =
                                        Expansion.expand(
                                                        fx,
                                                        copies,
                                                        Expansion.Layout.REPEAT_INTERLEAVE)
                                                .sub(fp)
                                                .reshape(n, copies);
                                NDArray dot = null;
                                for (int i = 0; i < attributions.size(); i++) {
                                    NDArray a =
                                            Expansion.expand(
                                                    attributions.get(i),
                                                    copies,
                                                    Expansion.Layout.REPEAT_INTERLEAVE);
                                    NDArray rows =
                                            a.mul(p.perturbations().get(i))
                                                    .reshape((long) n * copies, -1)
                                                    .sum(new int[] {1});
                                    dot = dot == null ? rows : dot.add(rows);
                                }
                                dot = dot.reshape(n, copies);
                                if (options.normalize()) {
                                    return new NDList(
                                            dot.square().sum(new int[] {1}),
                                            dot.mul(diffs).sum(new int[] {1}),
                                            diffs.square().sum(new int[] {1}));
                                }
                                return new NDList(dot.sub(diffs).square().sum(new int[] {1}));
                            },
                            SampleBatches.Aggregate.SUM);
            NDArray score;
            if (options.normalize()) {
                NDArray a2 = sums.get(0);
                NDArray ab = sums.get(1);
                NDArray b2 = sums.get(2);
                NDArray beta = safeDiv(ab, a2);
                score = beta.square().mul(a2).sub(beta.mul(ab).mul(2)).add(b2);
            } else {
                score = sums.get(0);
            }
            return Scope.handOver(caller, score.div((float) options.nPerturbSamples()));
        }
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
        Checks.notNull(explanation, "explanation");
        Checks.notNull(perturb, "perturb");
        Checks.notNull(inputs, "inputs");
        Checks.notNull(options, "options");
        Targets.validate(target, inputs.batchSize());
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            int n = inputs.batchSize();
            NDList x = inputs.tensors();
            NDList expl = explain(explanation, inputs, target, scratch);
            NDArray norm = rowNorm(flattenRows(expl, n), options.normOrd());
            NDArray safeNorm = norm.eq(0).toType(norm.getDataType(), false).add(norm);
            NDList max =
                    SampleBatches.aggregate(
                            n,
                            options.nPerturbSamples(),
                            options.maxExamplesPerBatch(),
                            scratch,
                            (copies, batch, pass) -> {
                                Scope.borrow(pass, x);
                                Scope.borrow(pass, expl);
                                Scope.borrow(pass, List.of(safeNorm));
                                NDList perturbed =
                                        Randomness.draw(
                                                SampleBatches.seedFor(options.seed(), batch),
                                                () ->
                                                        perturb.perturb(
                                                                Expansion.expand(
                                                                        x,
                                                                        copies,
                                                                        Expansion.Layout
                                                                                .REPEAT_INTERLEAVE),
                                                                options.perturbRadius()));
                                Inputs expanded =
                                        Inputs.of(perturbed)
                                                .withBaselines(
                                                        Expansion.expandBaselines(
                                                                inputs.baselines(),
                                                                copies,
                                                                // Captum: baselines of the input's
                                                                // full shape
                                                                (i, v) ->
                                                                        v.getShape()
                                                                                .equals(
                                                                                        inputs.get(
                                                                                                        i)
                                                                                                .getShape())))
                                                .withAdditionalArgs(
                                                        Expansion.expandArgs(
                                                                inputs.additionalArgs(),
                                                                n,
                                                                copies,
                                                                Expansion.Layout
                                                                        .REPEAT_INTERLEAVE));
                                NDList ep =
                                        explain(
                                                explanation,
                                                expanded,
                                                Expansion.expand(
                                                        target,
                                                        copies,
                                                        Expansion.Layout.REPEAT_INTERLEAVE),
                                                pass);
                                NDList change = new NDList(ep.size());
                                for (int i = 0; i < ep.size(); i++) {
                                    change.add(
                                            Expansion.expand(
                                                            expl.get(i),
                                                            copies,
                                                            Expansion.Layout.REPEAT_INTERLEAVE)
                                                    .sub(ep.get(i)));
                                }
                                NDArray rel =
                                        rowNorm(flattenRows(change, n * copies), options.normOrd())
                                                .div(
                                                        Expansion.expand(
                                                                safeNorm,
                                                                copies,
                                                                Expansion.Layout
                                                                        .REPEAT_INTERLEAVE));
                                return new NDList(rel.reshape(n, copies).max(new int[] {1}));
                            },
                            SampleBatches.Aggregate.MAX);
            return Scope.handOver(caller, max.get(0));
        }
    }

    private static NDList explain(
            ExplanationFunction explanation, Inputs inputs, Target target, NDManager into) {
        try (Attribution a = explanation.explain(inputs, target)) {
            Checks.argument(
                    a.attributions().size() == inputs.size(),
                    "explanation must return one attribution per input (%s), got %s",
                    inputs.size(),
                    a.attributions().size());
            NDList out = new NDList(inputs.size());
            for (NDArray t : a.attributions()) {
                NDArray kept = t.duplicate();
                kept.attach(into);
                out.add(kept);
            }
            return out;
        }
    }

    private static NDArray flattenRows(NDList tensors, long rows) {
        NDArray out = null;
        for (NDArray t : tensors) {
            NDArray flat = t.reshape(rows, -1);
            out = out == null ? flat : out.concat(flat, 1);
        }
        return out;
    }

    private static NDArray rowNorm(NDArray rows, double p) {
        if (Double.isInfinite(p)) {
            return rows.abs().max(new int[] {1});
        }
        if (p == 2) {
            return rows.square().sum(new int[] {1}).sqrt();
        }
        return rows.abs().pow((float) p).sum(new int[] {1}).pow((float) (1 / p));
    }

    /** Captum's safe_div: a zero denominator counts as 1. */
    private static NDArray safeDiv(NDArray num, NDArray denom) {
        return num.div(denom.eq(0).toType(denom.getDataType(), false).add(denom));
    }

    private static void checkSameShapes(Inputs inputs, NDList attributions) {
        Checks.argument(
                attributions.size() == inputs.size(),
                "attributions must hold one tensor per input (%s), got %s",
                inputs.size(),
                attributions.size());
        for (int i = 0; i < attributions.size(); i++) {
            Checks.argument(
                    attributions.get(i).getShape().equals(inputs.get(i).getShape()),
                    "attributions[%s] shape %s does not match inputs[%s] shape %s",
                    i,
                    attributions.get(i).getShape(),
                    i,
                    inputs.get(i).getShape());
        }
    }

    private static void checkPerturbed(NDList x, InfidelityPerturbation.Perturbed p, int copies) {
        Checks.argument(
                p != null && p.perturbations() != null && p.perturbedInputs() != null,
                "perturb must return perturbations and perturbed inputs, got %s",
                p);
        Checks.argument(
                p.perturbations().size() == x.size() && p.perturbedInputs().size() == x.size(),
                "perturb must return one perturbation and one perturbed input per input (%s), got"
                        + " %s and %s",
                x.size(),
                p.perturbations().size(),
                p.perturbedInputs().size());
        for (int i = 0; i < x.size(); i++) {
            long rows = x.get(i).getShape().get(0) * copies;
            Checks.argument(
                    p.perturbations().get(i).getShape().get(0) == rows
                            && p.perturbations()
                                    .get(i)
                                    .getShape()
                                    .equals(p.perturbedInputs().get(i).getShape()),
                    "perturbations[%s] shape %s must equal perturbed inputs[%s] shape %s with %s"
                            + " rows",
                    i,
                    p.perturbations().get(i).getShape(),
                    i,
                    p.perturbedInputs().get(i).getShape(),
                    rows);
        }
    }
}
