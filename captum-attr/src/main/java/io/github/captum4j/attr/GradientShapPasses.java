package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.RunningSum;
import io.github.captum4j.core.internal.Scope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not API: the draw loop of the GradientShap family (GradientShap, Layer GradientShap, Neuron
 * GradientShap), written once. It draws a call's baseline rows, path points and per-draw noise
 * seeds ({@code GradientShapDraws}), walks the {@code N·nSamples} draws in passes of {@code
 * max(1, internalBatchSize / N)} draws per example, hands each pass's noisy inputs, baselines and
 * scaled points to the method, sums the per-draw attributions and reports every pass to the
 * {@code progress} listener. Since every draw's numbers are fixed before the passes, {@code
 * internalBatchSize} never changes the result.
 */
public final class GradientShapPasses {

    private GradientShapPasses() {}

    /** What a method computes for the draws of one pass. */
    @FunctionalInterface
    public interface PerDraw {
        /**
         * The attribution of every draw of the pass.
         *
         * @param noisy the noisy inputs, per input {@code (N·copies, ...)}, example-major
         * @param baselines the drawn baselines, of the same shapes
         * @param scaled the path points \( x' + \alpha (\tilde x - x') \), of the same shapes
         * @param args the additional forward arguments, expanded to the pass's rows
         * @param target the target, expanded to the pass's rows
         * @return attributions with {@code N·copies} rows each
         */
        NDList apply(NDList noisy, NDList baselines, NDList scaled, List<Object> args, Target target);
    }

    /**
     * Runs the passes of one call and averages the draws.
     *
     * @param in the call's inputs (their baselines are the distribution)
     * @param target the call's target
     * @param options the call's sampling options
     * @param task the task name given to the listener
     * @param deltaOf the model whose convergence delta (per draw, against the noisy input and its
     *     baseline) is returned, or {@code null} for none
     * @param perDraw the method's computation for a pass
     * @param scratch the call's manager
     * @return the mean attribution per input and the deltas of every draw (or {@code null})
     */
    public static Result run(
            Inputs in,
            Target target,
            SamplingOptions.Group options,
            String task,
            ForwardFunction deltaOf,
            PerDraw perDraw,
            NDManager scratch) {
        NDList x = in.tensors();
        int batch = in.batchSize();
        int nSamples = options.nSamples();
        Integer internalBatchSize = options.internalBatchSize();
        int perPass =
                internalBatchSize == null
                        ? nSamples
                        : Math.min(nSamples, Math.max(1, internalBatchSize / batch));
        NoiseSampling.checkCopies(x, perPass);
        GradientShapDraws draws =
                GradientShapDraws.draw(
                        in,
                        options.seed(),
                        nSamples,
                        NoiseSampling.perInput(options.stdevs(), x.size()),
                        scratch);
        long total = (nSamples + perPass - 1) / perPass;
        RunningSum sum = new RunningSum(scratch);
        List<NDArray> deltas = new ArrayList<>();
        long done = 0;
        for (int first = 0; first < nSamples; first += perPass) {
            int copies = Math.min(perPass, nSamples - first);
            try (NDManager pass = scratch.newSubManager()) {
                Scope.borrow(pass, x);
                NDList noisy = draws.noisy(first, copies, pass);
                NDList baselines = draws.baselines(first, copies, pass);
                NDArray alpha = draws.alphas(first, copies, pass);
                NDList scaled = new NDList(x.size());
                for (int i = 0; i < x.size(); i++) {
                    NDArray a =
                            alpha.reshape(alphaShape(noisy.get(i).getShape()))
                                    .toType(noisy.get(i).getDataType(), false);
                    // Captum's _scale_input: alpha * input + (1 - alpha) * baseline.
                    scaled.add(a.mul(noisy.get(i)).add(a.neg().add(1f).mul(baselines.get(i))));
                }
                List<Object> args =
                        Expansion.expandArgs(
                                in.additionalArgs(), batch, copies, Expansion.Layout.REPEAT_INTERLEAVE);
                Target t = Expansion.expand(target, copies, Expansion.Layout.REPEAT_INTERLEAVE);
                NDList perDrawAttr = perDraw.apply(noisy, baselines, scaled, args, t);
                NDList sums = new NDList(perDrawAttr.size());
                for (NDArray a : perDrawAttr) {
                    sums.add(NoiseSampling.sumOverCopies(a, copies));
                }
                sum.add(sums);
                if (deltaOf != null) {
                    NDArray kept =
                            Convergence.delta(deltaOf, perDrawAttr, noisy, baselines, args, t)
                                    .reshape(batch, copies);
                    kept.attach(scratch);
                    deltas.add(kept);
                }
            }
            options.progress().onProgress(task, ++done, total);
        }
        NDList attributions = new NDList();
        for (NDArray a : sum.total()) {
            attributions.add(a.div((float) nSamples));
        }
        NDArray delta =
                deltas.isEmpty()
                        ? null
                        : (deltas.size() == 1 ? deltas.get(0) : NDArrays.concat(new NDList(deltas), 1))
                                .reshape(-1);
        return new Result(attributions, delta);
    }

    private static Shape alphaShape(Shape inputShape) {
        long[] dims = new long[inputShape.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = inputShape.get(0);
        return new Shape(dims);
    }
}
