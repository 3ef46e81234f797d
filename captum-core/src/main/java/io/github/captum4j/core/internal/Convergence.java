package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;

import java.util.List;

/**
 * The completeness gap of an attribution (Captum's {@code compute_convergence_delta}): per example,
 * \( \sum_i \mathrm{attr}_i - (F(x) - F(x')) \).
 *
 * <p>Not API: may change without notice.
 */
public final class Convergence {

    private Convergence() {}

    /**
     * Computes the delta with one forward pass over baselines and inputs stacked together.
     *
     * @param f the model
     * @param attributions one per input, {@code (N, ...)}
     * @param inputs the end points {@code (N, ...)}
     * @param baselines the start points, of the inputs' shapes
     * @param args additional forward arguments (not expanded)
     * @param target the target (not expanded)
     * @return shape {@code (N)}
     */
    public static NDArray delta(
            ForwardFunction f,
            NDList attributions,
            NDList inputs,
            NDList baselines,
            List<Object> args,
            Target target) {
        int n = Math.toIntExact(inputs.get(0).getShape().get(0));
        NDList both = Expansion.concatBatches(baselines, inputs);
        NDArray out =
                Gradients.forwardSelected(
                        f,
                        both,
                        Expansion.expandArgs(args, n, 2, Expansion.Layout.TILE),
                        Expansion.expand(target, 2, Expansion.Layout.TILE));
        NDArray start = out.get("0:" + n);
        NDArray end = out.get(n + ":");
        return sumPerExample(attributions).sub(end.sub(start));
    }

    /**
     * Per example, the sum of all attribution values over all inputs.
     *
     * @param attributions one per input, {@code (N, ...)}
     * @return shape {@code (N)}
     */
    public static NDArray sumPerExample(NDList attributions) {
        NDArray total = null;
        for (NDArray a : attributions) {
            long n = a.getShape().get(0);
            NDArray rows = a.reshape(n, -1).sum(new int[] {1});
            total = total == null ? rows : total.add(rows);
        }
        return total;
    }
}
