package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;

import java.util.ArrayList;
import java.util.List;

/**
 * Several perturbed copies of a batch evaluated in one forward pass (Captum's {@code _reduce_list}
 * then slicing the output), as MinParamPerturbation and AttackComparator do. Not API.
 */
final class RobustBatches {

    private RobustBatches() {}

    /**
     * The model output of each batch, from one forward pass over their concatenation (the additional
     * arguments tiled alongside).
     */
    static List<NDArray> outputs(ForwardFunction f, List<NDList> batches, Inputs inputs) {
        int n = inputs.batchSize();
        for (int b = 0; b < batches.size(); b++) {
            NDList batch = batches.get(b);
            Checks.argument(
                    batch != null && batch.size() == inputs.size(),
                    "an attack must return one tensor per input (%s), got %s",
                    inputs.size(),
                    batch == null ? "null" : batch.size());
            for (NDArray x : batch) {
                Checks.argument(
                        x.getShape().dimension() >= 1 && x.getShape().get(0) == n,
                        "an attack must keep the batch size %s, got shape %s",
                        n,
                        Checks.shape(x.getShape()));
            }
        }
        if (batches.size() == 1) {
            return List.of(Gradients.forward(f, batches.get(0), inputs.additionalArgs()));
        }
        NDList joined = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            NDList parts = new NDList(batches.size());
            for (NDList batch : batches) {
                parts.add(batch.get(i));
            }
            joined.add(NDArrays.concat(parts, 0));
        }
        List<Object> args =
                Expansion.expandArgs(
                        inputs.additionalArgs(), n, batches.size(), Expansion.Layout.TILE);
        NDArray out = Gradients.forward(f, joined, args);
        List<NDArray> split = new ArrayList<>(batches.size());
        for (int b = 0; b < batches.size(); b++) {
            split.add(out.get(new NDIndex("{}:{}", (long) b * n, (long) (b + 1) * n)));
        }
        return split;
    }

    /** The index of the first batch the model is no longer correct on, or -1. */
    static int firstFailure(
            ForwardFunction f,
            List<NDList> batches,
            Inputs inputs,
            Target target,
            MinParamPerturbation.CorrectFunction correct) {
        List<NDArray> outs = outputs(f, batches, inputs);
        for (int b = 0; b < outs.size(); b++) {
            if (!correct.correct(outs.get(b), target)) {
                return b;
            }
        }
        return -1;
    }
}
