package io.github.captum4j.metrics;

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
import io.github.captum4j.core.internal.Targets;

import java.util.List;

/**
 * Infidelity (Yeh et al., 2019), the algorithm behind {@link Metrics#infidelity}: \(
 * \mathbb{E}_{I} [ (I^\top \Phi - (f(x) - f(x - I)))^2 ] \) estimated over batches of perturbed
 * copies of each example, optionally with the attributions rescaled by the optimal \( \beta \).
 * One instance is one call; its arrays live in the call's scratch manager.
 */
final class Infidelity {

    private static final Expansion.Layout INTERLEAVE = Expansion.Layout.REPEAT_INTERLEAVE;

    private final ForwardFunction forward;
    private final InfidelityPerturbation perturb;
    private final Inputs inputs;
    private final NDList attributions;
    private final Target target;
    private final Metrics.InfidelityOptions options;
    private final int n;
    private final NDList x;
    private final NDList baselines;
    private final NDArray fx;

    private Infidelity(
            ForwardFunction forward,
            InfidelityPerturbation perturb,
            Inputs inputs,
            NDList attributions,
            Target target,
            Metrics.InfidelityOptions options,
            NDManager scratch) {
        this.forward = forward;
        this.perturb = perturb;
        this.inputs = inputs;
        this.attributions = attributions;
        this.target = target;
        this.options = options;
        this.n = inputs.batchSize();
        this.x = inputs.tensors();
        this.baselines = BaselineExpansion.expand(inputs.baselines(), x, scratch);
        this.fx = Gradients.forwardSelected(forward, x, inputs.additionalArgs(), target);
    }

    /** See {@link Metrics#infidelity}. */
    static NDArray compute(
            ForwardFunction forward,
            InfidelityPerturbation perturb,
            Inputs inputs,
            NDList attributions,
            Target target,
            Metrics.InfidelityOptions options) {
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
            Infidelity call =
                    new Infidelity(forward, perturb, inputs, attributions, target, options, scratch);
            // sum over samples of (a - b)^2, or of a^2, ab, b^2 to normalise afterwards
            NDList sums =
                    SampleBatches.aggregate(
                            call.n,
                            options.nPerturbSamples(),
                            options.maxExamplesPerBatch(),
                            scratch,
                            call::batch,
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
    private NDList batch(int copies, int batchIndex, NDManager pass) {
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
