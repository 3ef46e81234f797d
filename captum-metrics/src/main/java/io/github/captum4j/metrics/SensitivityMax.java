package io.github.captum4j.metrics;

import static io.github.captum4j.metrics.SampleBatches.INTERLEAVE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;

import java.util.List;

/**
 * Maximum sensitivity (Yeh et al., 2019), the algorithm behind {@link Metrics#sensitivityMax}: \(
 * \max \|\Phi(y) - \Phi(x)\|_p / \|\Phi(x)\|_p \) over batches of perturbed copies of each
 * example. One instance is one call's arguments; its arrays live in the call's scratch manager.
 *
 * @param explanation the explanation
 * @param perturb the perturbation
 * @param inputs the inputs, baselines and additional arguments
 * @param target the target
 * @param options the options
 */
record SensitivityMax(
        ExplanationFunction explanation,
        SensitivityPerturbation perturb,
        Inputs inputs,
        Target target,
        Metrics.SensitivityOptions options) {

    /** Validates the arguments. */
    SensitivityMax {
        SampleBatches.checkArguments(explanation, "explanation", perturb, inputs, target, options);
    }

    /**
     * Runs the call, see {@link Metrics#sensitivityMax}.
     *
     * @return one score per example, attached to the inputs' manager
     */
    NDArray compute() {
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            NDList expl = explain(explanation, inputs, target, scratch);
            NDArray norm = rowNorm(flattenRows(expl, inputs.batchSize()), options.normOrd());
            // a zero explanation norm counts as 1, as in Captum
            NDArray safeNorm = norm.eq(0).toType(norm.getDataType(), false).add(norm);
            NDList max =
                    SampleBatches.aggregate(
                            inputs.batchSize(),
                            options.nPerturbSamples(),
                            options.maxExamplesPerBatch(),
                            scratch,
                            (copies, batch, pass) -> batch(expl, safeNorm, copies, batch, pass),
                            SampleBatches.Aggregate.MAX);
            return Scope.handOver(caller, max.get(0));
        }
    }

    /** One batch of {@code copies} perturbations per example: its largest relative change. */
    private NDList batch(NDList expl, NDArray safeNorm, int copies, int index, NDManager pass) {
        int n = inputs.batchSize();
        NDList x = inputs.tensors();
        Scope.borrow(pass, x);
        Scope.borrow(pass, expl);
        Scope.borrow(pass, List.of(safeNorm));
        NDList perturbed =
                Randomness.draw(
                        SampleBatches.seedFor(options.seed(), index),
                        () ->
                                perturb.perturb(
                                        Expansion.expand(x, copies, INTERLEAVE),
                                        options.perturbRadius()));
        Inputs expanded =
                Inputs.of(perturbed)
                        .withBaselines(expandBaselines(copies))
                        .withAdditionalArgs(
                                Expansion.expandArgs(
                                        inputs.additionalArgs(), n, copies, INTERLEAVE));
        NDList ep =
                explain(explanation, expanded, Expansion.expand(target, copies, INTERLEAVE), pass);
        NDList change = new NDList(ep.size());
        for (int i = 0; i < ep.size(); i++) {
            change.add(Expansion.expand(expl.get(i), copies, INTERLEAVE).sub(ep.get(i)));
        }
        NDArray rel =
                rowNorm(flattenRows(change, n * copies), options.normOrd())
                        .div(Expansion.expand(safeNorm, copies, INTERLEAVE));
        return new NDList(rel.reshape(n, copies).max(new int[] {1}));
    }

    /** Captum expands baselines of the input's full shape with the batch, others stay. */
    private Baselines expandBaselines(int copies) {
        return Expansion.expandBaselines(
                inputs.baselines(),
                copies,
                (i, v) -> v.getShape().equals(inputs.get(i).getShape()));
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
}
