package io.github.captum4j.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Targets;

/**
 * Captum's {@code _divide_and_aggregate_metrics}: the {@code nSamples} perturbations of each
 * example are evaluated in batches of at most {@code max(1, maxExamplesPerBatch / N)} samples per
 * example, each batch in its own sub-manager, and the per-example results are summed or maxed.
 */
final class SampleBatches {

    /**
     * How the metrics lay out the perturbed copies of a batch: Captum's {@code repeat_interleave},
     * the copies of one example next to each other.
     */
    static final Expansion.Layout INTERLEAVE = Expansion.Layout.REPEAT_INTERLEAVE;

    /** How batch results combine. */
    enum Aggregate {
        SUM,
        MAX
    }

    /**
     * One batch: {@code copies} samples per example, computed in {@code pass} (borrow long-lived
     * arrays into it); returns per-example tensors {@code (N)}.
     */
    @FunctionalInterface
    interface Batch {
        NDList compute(int copies, int batchIndex, NDManager pass);
    }

    private SampleBatches() {}

    /**
     * The per-batch seed: the seed itself for the first batch (one batch reproduces a seeded
     * reference run), derived seeds after it.
     */
    static Integer seedFor(Integer seed, int batchIndex) {
        return batchIndex == 0
                ? seed
                : io.github.captum4j.core.internal.Randomness.derive(seed, batchIndex);
    }

    static NDList aggregate(
            int batchSize,
            int nSamples,
            Integer maxExamplesPerBatch,
            NDManager scratch,
            Batch batch,
            Aggregate how) {
        int perBatch =
                maxExamplesPerBatch == null
                        ? nSamples
                        : Math.min(Math.max(maxExamplesPerBatch / batchSize, 1), nSamples);
        NDList total = null;
        int index = 0;
        for (int done = 0; done < nSamples; done += perBatch, index++) {
            int copies = Math.min(perBatch, nSamples - done);
            try (NDManager pass = scratch.newSubManager()) {
                NDList part = batch.compute(copies, index, pass);
                NDList next = new NDList(part.size());
                for (int i = 0; i < part.size(); i++) {
                    NDArray p = part.get(i);
                    next.add(
                            total == null
                                    ? p
                                    : how == Aggregate.SUM
                                            ? p.add(total.get(i))
                                            : p.maximum(total.get(i)));
                }
                for (NDArray t : next) {
                    t.attach(scratch);
                }
                total = next;
            }
        }
        return total;
    }

    /**
     * The argument checks both sampled metrics share.
     *
     * @param function the model or the explanation
     * @param functionName its argument's name
     * @param perturb the perturbation function
     * @param inputs the inputs
     * @param target the target
     * @param options the options
     */
    static void checkArguments(
            Object function,
            String functionName,
            Object perturb,
            Inputs inputs,
            Target target,
            Record options) {
        Checks.notNull(function, functionName);
        Checks.notNull(perturb, "perturb");
        Checks.notNull(inputs, "inputs");
        Checks.notNull(options, "options");
        Targets.validate(target, inputs.batchSize());
    }
}
