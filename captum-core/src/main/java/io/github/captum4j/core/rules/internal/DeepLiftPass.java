package io.github.captum4j.core.rules.internal;

import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.BatchRows;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Targets;

import java.util.List;

/**
 * DeepLift's pass as Captum runs it: one batch of the {@code N} inputs followed by their {@code N}
 * baselines (target and batch-sized arguments tiled), the DeepLift composite's rules, and the
 * gradient of the sum of the target values over all {@code 2N} rows. Shared by DeepLift, DeepLift
 * SHAP and their layer variants.
 *
 * <p>Not API: may change without notice.
 */
public final class DeepLiftPass {

    private DeepLiftPass() {}

    /**
     * The pass's results, split into the input and baseline halves.
     *
     * @param multipliers the gradient with respect to each input (input half); empty when layers
     *     were captured (layer methods need only the layers' multipliers)
     * @param layerValues each captured layer's value on the inputs
     * @param layerBaselineValues each captured layer's value on the baselines
     * @param layerMultipliers the gradient with respect to each captured layer (input half)
     * @param targetValues the target values of all {@code 2N} rows, detached
     */
    public record Result(
            NDList multipliers,
            NDList layerValues,
            NDList layerBaselineValues,
            NDList layerMultipliers,
            NDArray targetValues) {

        /**
         * The target value on the inputs minus that on the baselines (computed on demand: only
         * the convergence delta needs it).
         *
         * @return {@code (N)}
         */
        public NDArray outputGap() {
            NDList halves = targetValues.split(2);
            return halves.get(0).sub(halves.get(1));
        }
    }

    /**
     * Runs the pass. With layers to capture, the backward pass goes only as far down as the
     * layers (their multipliers are all layer methods use) and no input multipliers are computed.
     *
     * @param model the model
     * @param composite DeepLift's rules (e.g. {@link Composite#deepLift})
     * @param x the inputs {@code (N, ...)}
     * @param baselines the baselines, of the inputs' shapes
     * @param args additional forward arguments (not expanded)
     * @param target the target (not expanded)
     * @param layers dotted names of layers to capture
     * @param layerInput whether to capture the layers' inputs instead of their outputs
     * @return multipliers and layer values
     */
    public static Result run(
            RuleModel model,
            Composite composite,
            NDList x,
            NDList baselines,
            List<Object> args,
            Target target,
            List<String> layers,
            boolean layerInput) {
        int n = Math.toIntExact(x.get(0).getShape().get(0));
        NDList both = Expansion.concatBatches(x, baselines);
        Target target2 = Expansion.expand(target, 2, Expansion.Layout.TILE);
        NDArray[] selected = new NDArray[1];
        RuleBackward.Result r =
                RuleBackward.run(
                        model,
                        both,
                        Expansion.expandArgs(args, n, 2, Expansion.Layout.TILE),
                        composite,
                        layers,
                        layerInput,
                        layers.isEmpty(),
                        (out, values) -> selected[0] = Targets.select(out, target2));
        BatchRows.requireBatchFirst(
                layers, r.layerValues(), 2L * n, "split into inputs and baselines");
        NDList values = new NDList(layers.size());
        NDList baselineValues = new NDList(layers.size());
        for (NDArray v : r.layerValues()) {
            NDList halves = v.split(2);
            values.add(halves.get(0));
            baselineValues.add(halves.get(1));
        }
        NDIndex first = new NDIndex().addSliceDim(0, n);
        return new Result(
                slice(r.inputGradients(), first),
                values,
                baselineValues,
                slice(r.layerGradients(), first),
                selected[0].stopGradient());
    }

    /**
     * DeepLift SHAP's expansion of {@code N} inputs against {@code S} baseline samples: every input
     * repeated {@code S} times (interleaved), the samples tiled {@code N} times, target and
     * batch-sized arguments interleaved like the inputs.
     *
     * @param x the inputs {@code (N, ...)}
     * @param samples the samples {@code (S, ...)} per input
     * @param args additional forward arguments
     * @param target the target
     * @return the expanded pass arguments
     */
    public static Expanded expand(NDList x, NDList samples, List<Object> args, Target target) {
        int n = Math.toIntExact(x.get(0).getShape().get(0));
        int s = Math.toIntExact(samples.get(0).getShape().get(0));
        return new Expanded(
                Expansion.expand(x, s, Expansion.Layout.REPEAT_INTERLEAVE),
                Expansion.expand(samples, n, Expansion.Layout.TILE),
                Expansion.expandArgs(args, n, s, Expansion.Layout.REPEAT_INTERLEAVE),
                Expansion.expand(target, s, Expansion.Layout.REPEAT_INTERLEAVE),
                n,
                s);
    }

    /**
     * Inputs and baselines expanded for DeepLift SHAP.
     *
     * @param inputs each input repeated per sample, {@code (N S, ...)}
     * @param baselines the samples tiled per input, {@code (N S, ...)}
     * @param args the expanded arguments
     * @param target the expanded target
     * @param examples {@code N}
     * @param samples {@code S}
     */
    public record Expanded(
            NDList inputs,
            NDList baselines,
            List<Object> args,
            Target target,
            int examples,
            int samples) {

        /**
         * The mean over the samples of each example, \( (N S, ...) \to (N, ...) \).
         *
         * @param attributions arrays of {@code N S} rows
         * @return arrays of {@code N} rows
         */
        public NDList meanOverSamples(NDList attributions) {
            NDList out = new NDList(attributions.size());
            for (NDArray a : attributions) {
                Shape shape = new Shape(examples, samples).addAll(a.getShape().slice(1));
                out.add(a.reshape(shape).mean(new int[] {1}));
            }
            return out;
        }
    }

    private static NDList slice(NDList arrays, NDIndex rows) {
        NDList out = new NDList(arrays.size());
        for (NDArray a : arrays) {
            out.add(a.get(rows));
        }
        return out;
    }
}
