package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.Quadrature;

import java.util.List;

/**
 * The path integral shared by every path method (IntegratedGradients and its layer and neuron
 * variants, conductance, internal influence): scaled inputs \( x' + \alpha_k (x - x') \) stacked
 * step-major, evaluated in batches of at most {@code internalBatchSize} rows, and the weighted sum
 * \( \sum_k w_k\, g_k \) of whatever gradient each batch yields.
 *
 * <p>Not API: may change without notice.
 */
public final class PathIntegral {

    /** The gradients of one batch of steps. */
    @FunctionalInterface
    public interface StepGradients {
        /**
         * Computes gradients for stacked scaled inputs.
         *
         * @param scaled the scaled inputs, shape {@code (K·N, ...)}, step-major
         * @param args the additional arguments, expanded to {@code K·N} rows
         * @param target the target, expanded to {@code K·N} rows
         * @param steps K, the number of steps in this batch
         * @return gradients, each of shape {@code (K·N, ...)}, step-major
         */
        NDList compute(NDList scaled, List<Object> args, Target target, int steps);
    }

    /** One pass over a slice of the path's points. */
    @FunctionalInterface
    public interface Pass {
        /**
         * Consumes one pass.
         *
         * @param scaled the scaled inputs, shape {@code (K·N, ...)}, step-major
         * @param args the additional arguments, expanded to {@code K·N} rows
         * @param target the target, expanded to {@code K·N} rows
         * @param part the K points of this pass
         * @param pass a manager closed right after this call: keep results by attaching them
         *     elsewhere
         */
        void accept(
                NDList scaled, List<Object> args, Target target, Quadrature part, NDManager pass);
    }

    /**
     * Where a walk along the path reports its passes: the listener and the task name it is given.
     *
     * @param listener the listener
     * @param task the task's name, e.g. {@code "Integrated Gradients"}
     */
    public record Progress(ProgressListener listener, String task) {

        /** Reports nothing. */
        public static final Progress NONE = new Progress(ProgressListener.NONE, "");

        /**
         * Replaces a null listener by {@link ProgressListener#NONE}.
         *
         * @param listener the listener
         * @param task the task's name, e.g. {@code "Integrated Gradients"}
         */
        public Progress {
            listener = listener == null ? ProgressListener.NONE : listener;
            task = task == null ? "" : task;
        }
    }

    private PathIntegral() {}

    /**
     * Steps evaluated per forward pass, Captum's {@code max(1, internal_batch_size //
     * num_examples)}, or all steps when no internal batch size is given.
     *
     * @param internalBatchSize the option, or {@code null}
     * @param batchSize number of examples
     * @param nSteps number of steps
     * @return steps per pass
     */
    public static int stepsPerPass(Integer internalBatchSize, int batchSize, int nSteps) {
        if (internalBatchSize == null) {
            return nSteps;
        }
        return Math.max(1, internalBatchSize / batchSize);
    }

    /**
     * Scaled inputs for every point of {@code q}, stacked step-major: row {@code k·N + n} is
     * example n at \( \alpha_k \).
     *
     * @param inputs inputs {@code (N, ...)}
     * @param baselines baselines of the inputs' shapes
     * @param q the points
     * @param manager where the result goes
     * @return one tensor {@code (K·N, ...)} per input
     */
    public static NDList scaledInputs(
            NDList inputs, NDList baselines, Quadrature q, NDManager manager) {
        NDList diffs = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            diffs.add(inputs.get(i).sub(baselines.get(i)));
        }
        return scale(diffs, baselines, q, manager);
    }

    /** \( x' + \alpha_k (x - x') \) from the differences; a null baseline means zero. */
    private static NDList scale(NDList diffs, NDList baselines, Quadrature q, NDManager manager) {
        int k = q.size();
        float[] alphas = new float[k];
        for (int i = 0; i < k; i++) {
            alphas[i] = (float) q.alpha(i);
        }
        NDList out = new NDList(diffs.size());
        for (int i = 0; i < diffs.size(); i++) {
            NDArray diff = diffs.get(i);
            Shape shape = diff.getShape();
            long[] alphaShape = new long[shape.dimension() + 1];
            java.util.Arrays.fill(alphaShape, 1);
            alphaShape[0] = k;
            NDArray a = manager.create(alphas, new Shape(alphaShape));
            if (a.getDataType() != diff.getDataType()) {
                a = a.toType(diff.getDataType(), false);
            }
            NDArray scaled = a.mul(diff.expandDims(0));
            NDArray b = baselines == null ? null : baselines.get(i);
            if (b != null) {
                // the product is read by nobody after the sum: free it now, not with the pass
                scaled = closingAfter(scaled, scaled.add(b.expandDims(0)));
            }
            out.add(closingAfter(scaled, scaled.reshape(rows(k, shape))));
        }
        return out;
    }

    /** {@code (K·N, ...)} for K steps of arrays of shape {@code (N, ...)}. */
    private static Shape rows(int k, Shape shape) {
        return new Shape(k * shape.get(0)).addAll(shape.slice(1));
    }

    /**
     * Closes {@code consumed}'s handle once {@code result} was computed from it, and returns
     * {@code result}. Its memory goes back as soon as no other array (a view such as {@code
     * result}, or autograd) still refers to it, as PyTorch frees a tensor when its last reference
     * goes, instead of when the pass's manager closes.
     */
    private static NDArray closingAfter(NDArray consumed, NDArray result) {
        if (consumed != result) {
            consumed.close();
        }
        return result;
    }

    /**
     * \( \sum_k w_k\, g_k \) for step-major gradients {@code (K·N, ...)}, as one matrix product.
     *
     * @param grads the gradients of one batch of steps
     * @param q the points of that batch (its weights are used)
     * @return shape {@code (N, ...)}
     */
    public static NDArray weightedStepSum(NDArray grads, Quadrature q) {
        int k = q.size();
        Shape shape = grads.getShape();
        long n = shape.get(0) / k;
        float[] w = new float[k];
        for (int i = 0; i < k; i++) {
            w[i] = (float) q.weight(i);
        }
        NDArray weights = grads.getManager().create(w, new Shape(1, k));
        if (weights.getDataType() != grads.getDataType()) {
            weights = weights.toType(grads.getDataType(), false);
        }
        return weights.matMul(grads.reshape(k, -1)).reshape(new Shape(n).addAll(shape.slice(1)));
    }

    /**
     * Integrates gradients along the straight path from the baselines to the inputs: for each
     * gradient tensor the step function returns, \( \sum_k w_k\, g(x' + \alpha_k (x - x')) \),
     * evaluating at most {@code stepsPerPass} steps per call of {@code gradients} and reporting
     * each finished pass to {@code progress} ({@link Progress#NONE} for none).
     *
     * @param inputs inputs {@code (N, ...)}, in {@code scratch}
     * @param baselines baselines of the inputs' shapes, in {@code scratch}, or {@code null} when
     *     they are known to be zero (saves one pass over the scaled rows)
     * @param args additional forward arguments (not expanded)
     * @param target the target (not expanded)
     * @param q the quadrature rule
     * @param stepsPerPass steps per call of {@code gradients}
     * @param gradients the gradients of one batch of steps
     * @param progress where each finished pass is reported
     * @param scratch the per-call manager; the result is attached to it
     * @return the integrated gradients, one per tensor {@code gradients} returns, {@code (N, ...)}
     */
    public static NDList integrate(
            NDList inputs,
            NDList baselines,
            List<Object> args,
            Target target,
            Quadrature q,
            int stepsPerPass,
            StepGradients gradients,
            Progress progress,
            NDManager scratch) {
        RunningSum total = new RunningSum(scratch);
        passes(
                inputs,
                baselines,
                args,
                target,
                q,
                stepsPerPass,
                (scaled, expandedArgs, expandedTarget, part, pass) -> {
                    NDList grads =
                            gradients.compute(scaled, expandedArgs, expandedTarget, part.size());
                    NDList sums = new NDList(grads.size());
                    for (NDArray g : grads) {
                        sums.add(weightedStepSum(g, part));
                    }
                    total.add(sums);
                },
                progress,
                scratch);
        return total.total();
    }

    /**
     * Walks the straight path from the baselines to the inputs in passes of at most {@code
     * stepsPerPass} points of {@code q}, in order, handing each pass its scaled inputs (stacked
     * step-major), its expanded arguments and target, its slice of {@code q} and a manager closed
     * right after the pass, and reporting each finished pass to {@code progress} ({@link
     * Progress#NONE} for none). Methods that combine the points otherwise than by a weighted sum
     * (layer conductance) walk the path with this.
     *
     * @param inputs inputs {@code (N, ...)}, in {@code scratch}
     * @param baselines baselines of the inputs' shapes, in {@code scratch}, or {@code null} for
     *     zero
     * @param args additional forward arguments (not expanded)
     * @param target the target (not expanded)
     * @param q the points
     * @param stepsPerPass points per pass
     * @param consumer what to do with each pass
     * @param progress where each finished pass is reported
     * @param scratch the per-call manager
     */
    public static void passes(
            NDList inputs,
            NDList baselines,
            List<Object> args,
            Target target,
            Quadrature q,
            int stepsPerPass,
            Pass consumer,
            Progress progress,
            NDManager scratch) {
        long total = (q.size() + (long) stepsPerPass - 1) / stepsPerPass;
        long done = 0;
        int n = Math.toIntExact(inputs.get(0).getShape().get(0));
        NDList diffs = baselines == null ? inputs : new NDList(inputs.size());
        if (baselines != null) {
            for (int i = 0; i < inputs.size(); i++) {
                diffs.add(inputs.get(i).sub(baselines.get(i)));
            }
        }
        for (int from = 0; from < q.size(); from += stepsPerPass) {
            int to = Math.min(q.size(), from + stepsPerPass);
            Quadrature part = q.slice(from, to);
            int steps = to - from;
            try (NDManager pass = scratch.newSubManager()) {
                NDList scaled = scale(diffs, baselines, part, pass);
                List<Object> expandedArgs =
                        Expansion.expandArgs(args, n, steps, Expansion.Layout.TILE);
                Target expandedTarget = Expansion.expand(target, steps, Expansion.Layout.TILE);
                consumer.accept(scaled, expandedArgs, expandedTarget, part, pass);
            }
            progress.listener().onProgress(progress.task(), ++done, total);
        }
    }
}
