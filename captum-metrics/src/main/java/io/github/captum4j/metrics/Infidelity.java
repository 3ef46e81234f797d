package io.github.captum4j.metrics;

import static io.github.captum4j.metrics.SampleBatches.INTERLEAVE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Scope;

import java.util.List;

/**
 * Infidelity (Yeh et al., 2019), the algorithm behind {@link Metrics#infidelity}: \(
 * \mathbb{E}_{I} [ (I^\top \Phi - (f(x) - f(x - I)))^2 ] \) estimated over batches of perturbed
 * copies of each example, optionally with the attributions rescaled by the optimal \( \beta \).
 * One instance is one call's arguments; its arrays live in the call's scratch manager.
 *
 * @param forward the model
 * @param perturb the perturbation function
 * @param inputs the inputs (their baselines are passed to {@code perturb})
 * @param attributions one attribution per input, of the inputs' shapes
 * @param target the target
 * @param options the options
 */
record Infidelity(
        ForwardFunction forward,
        InfidelityPerturbation perturb,
        Inputs inputs,
        NDList attributions,
        Target target,
        Metrics.InfidelityOptions options) {

    /** Validates the arguments. */
    Infidelity {
        SampleBatches.checkArguments(forward, "forward", perturb, inputs, target, options);
        checkSameShapes(inputs, Checks.notNull(attributions, "attributions"));
    }

    /**
     * Runs the call, see {@link Metrics#infidelity}.
     *
     * @return one score per example, attached to the inputs' manager
     */
    NDArray compute() {
        NDManager caller = inputs.manager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, inputs);
            Scope.borrow(scratch, attributions);
            NDList x = inputs.tensors();
            NDList baselines = BaselineExpansion.expand(inputs.baselines(), x, scratch);
            NDArray fx = Gradients.forwardSelected(forward, x, inputs.additionalArgs(), target);
            // sum over samples of (a - b)^2, or of a^2, ab, b^2 to normalise afterwards
            NDList sums =
                    SampleBatches.aggregate(
                            inputs.batchSize(),
                            options.nPerturbSamples(),
                            options.maxExamplesPerBatch(),
                            scratch,
                            (copies, batch, pass) -> batch(baselines, fx, copies, batch, pass),
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

    /** One batch of {@code copies} perturbations per example: its sums over the copies. */
    private NDList batch(NDList baselines, NDArray fx, int copies, int batchIndex, NDManager pass) {
        int n = inputs.batchSize();
        NDList x = inputs.tensors();
        Scope.borrow(pass, List.of(fx));
        Scope.borrow(pass, x);
        Scope.borrow(pass, baselines);
        Scope.borrow(pass, attributions);
        InfidelityPerturbation.Perturbed p =
                Randomness.draw(
                        SampleBatches.seedFor(options.seed(), batchIndex),
                        () ->
                                perturb.perturb(
                                        Expansion.expand(x, copies, INTERLEAVE),
                                        Expansion.expand(baselines, copies, INTERLEAVE)));
        checkPerturbed(x, p, copies);
        NDArray fp =
                Gradients.forwardSelected(
                        forward,
                        p.perturbedInputs(),
                        Expansion.expandArgs(inputs.additionalArgs(), n, copies, INTERLEAVE),
                        Expansion.expand(target, copies, INTERLEAVE));
        NDArray diffs = Expansion.expand(fx, copies, INTERLEAVE).sub(fp).reshape(n, copies);
        NDArray dot = null;
        for (int i = 0; i < attributions.size(); i++) {
            NDArray a = Expansion.expand(attributions.get(i), copies, INTERLEAVE);
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
    }

    /** Captum's safe_div: a zero denominator counts as 1. */
    private static NDArray safeDiv(NDArray num, NDArray denom) {
        return num.div(denom.eq(0).toType(denom.getDataType(), false).add(denom));
    }

    private static void checkSameShapes(Inputs inputs, NDList attributions) {
        Checks.onePerInput(attributions.size(), inputs.size(), "attributions");
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
