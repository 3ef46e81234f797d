package io.github.captum4j.core.rules.internal;

import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Targets;

import java.util.List;

/**
 * LRP's pass as Captum runs it: the backward pass of a relevance composite from the target
 * (relevance 1 per example, so the propagated relevances are normalised), then every relevance
 * multiplied by the example's target score \( F_c(x) \). Shared by LRP and LayerLRP.
 *
 * <p>Not API: may change without notice.
 */
public final class LrpPass {

    private LrpPass() {}

    /**
     * The relevances.
     *
     * @param inputRelevances relevance of each input
     * @param layerRelevances relevance of each captured layer value
     * @param output the target score per example, {@code (N)}
     */
    public record Result(NDList inputRelevances, NDList layerRelevances, NDArray output) {

        /**
         * Captum's LRP delta: the target score minus the sum of the given relevances, per example.
         *
         * @param relevances relevances, {@code (N, ...)} each
         * @return {@code (N)}
         */
        public NDArray delta(NDList relevances) {
            return output.sub(Convergence.sumPerExample(relevances));
        }
    }

    /**
     * Runs the pass.
     *
     * @param model the model
     * @param composite the relevance rules (e.g. {@link Composite#lrp()})
     * @param x the inputs
     * @param args additional forward arguments
     * @param target the target
     * @param layers dotted names of layers whose relevance to return
     * @param layerInput whether to return the relevance of the layers' inputs
     * @return the relevances
     */
    public static Result run(
            RuleModel model,
            Composite composite,
            NDList x,
            List<Object> args,
            Target target,
            List<String> layers,
            boolean layerInput) {
        NDArray[] selected = new NDArray[1];
        RuleBackward.Result r =
                RuleBackward.run(
                        model,
                        x,
                        args,
                        composite,
                        layers,
                        layerInput,
                        true,
                        (out, values) -> selected[0] = Targets.select(out, target));
        NDArray output = selected[0].stopGradient();
        return new Result(
                scaled(r.inputGradients(), output), scaled(r.layerGradients(), output), output);
    }

    private static NDList scaled(NDList relevances, NDArray output) {
        NDList out = new NDList(relevances.size());
        for (NDArray r : relevances) {
            long[] shape = new long[r.getShape().dimension()];
            java.util.Arrays.fill(shape, 1);
            shape[0] = -1;
            out.add(r.mul(output.reshape(new Shape(shape))));
        }
        return out;
    }
}
