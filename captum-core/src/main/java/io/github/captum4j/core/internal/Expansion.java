package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Expansion of a batch to several copies of it, the two layouts Captum uses: <em>tile</em> (copies
 * one after another: {@code [x0, x1, x0, x1]}, as path methods stack their steps) and
 * <em>repeat-interleave</em> (each example's copies together: {@code [x0, x0, x1, x1]}, as
 * NoiseTunnel and perturbation methods lay out samples). Tensors, NDArray additional arguments
 * whose dimension 0 is the batch, and per-example targets are expanded alike.
 *
 * <p>Not API: may change without notice.
 */
public final class Expansion {

    /** The two layouts. */
    public enum Layout {
        /** Copies one after another. */
        TILE,
        /** Each example's copies together. */
        REPEAT_INTERLEAVE
    }

    private Expansion() {}

    /**
     * Expands one tensor along dimension 0.
     *
     * @param x the tensor, batch in dimension 0
     * @param copies number of copies
     * @param layout the layout
     * @return the expanded tensor (x itself if copies is 1)
     */
    public static NDArray expand(NDArray x, int copies, Layout layout) {
        if (copies == 1) {
            return x;
        }
        long[] reps = new long[x.getShape().dimension()];
        java.util.Arrays.fill(reps, 1);
        if (layout == Layout.TILE) {
            reps[0] = copies;
            return x.tile(reps);
        }
        return x.repeat(0, copies);
    }

    /**
     * Expands every tensor of a list.
     *
     * @param xs the tensors
     * @param copies number of copies
     * @param layout the layout
     * @return the expanded tensors
     */
    public static NDList expand(NDList xs, int copies, Layout layout) {
        NDList out = new NDList(xs.size());
        for (NDArray x : xs) {
            out.add(expand(x, copies, layout));
        }
        return out;
    }

    /**
     * Two batches of the same inputs as one, to evaluate both in one pass: each tensor of {@code
     * first} followed along dimension 0 by the matching tensor of {@code second}, so rows {@code
     * [0, N)} are {@code first}'s and rows {@code [N, 2N)} {@code second}'s (the layout {@link
     * Layout#TILE} expands the arguments and target of such a batch to).
     *
     * @param first one tensor per input, {@code (N, ...)}
     * @param second one tensor per input, of the same shapes
     * @return one tensor per input, {@code (2N, ...)}
     */
    public static NDList concatBatches(NDList first, NDList second) {
        NDList out = new NDList(first.size());
        for (int i = 0; i < first.size(); i++) {
            out.add(first.get(i).concat(second.get(i), 0));
        }
        return out;
    }

    /**
     * Expands additional forward arguments: NDArrays whose dimension 0 equals the batch size are
     * expanded, everything else is passed as is (Captum's {@code _expand_additional_forward_args}).
     *
     * @param args the arguments
     * @param batchSize the batch size of the inputs
     * @param copies number of copies
     * @param layout the layout
     * @return the expanded arguments
     */
    public static List<Object> expandArgs(
            List<Object> args, int batchSize, int copies, Layout layout) {
        if (copies == 1 || args.isEmpty()) {
            return args;
        }
        List<Object> out = new ArrayList<>(args.size());
        for (Object a : args) {
            if (a instanceof NDArray
                    && ((NDArray) a).getShape().dimension() > 0
                    && ((NDArray) a).getShape().get(0) == batchSize) {
                out.add(expand((NDArray) a, copies, layout));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Expands a target: a per-example target is expanded like the batch; others are unchanged.
     *
     * @param target the target
     * @param copies number of copies
     * @param layout the layout
     * @return the expanded target
     */
    public static Target expand(Target target, int copies, Layout layout) {
        if (copies == 1 || !(target instanceof Target.PerExample)) {
            return target;
        }
        List<int[]> tuples = ((Target.PerExample) target).tuples();
        List<int[]> out = new ArrayList<>(tuples.size() * copies);
        if (layout == Layout.TILE) {
            for (int c = 0; c < copies; c++) {
                out.addAll(tuples);
            }
        } else {
            for (int[] t : tuples) {
                for (int c = 0; c < copies; c++) {
                    out.add(t);
                }
            }
        }
        return Target.perExample(out);
    }

    /**
     * Expands per-input tensor baselines with the batch (repeat-interleave); numbers and tensors
     * that are not per-example are kept, to broadcast as before. Which tensors are per-example is
     * the caller's rule (Captum's NoiseTunnel and sensitivity_max differ).
     *
     * @param baselines the baselines
     * @param copies copies per example
     * @param perExample whether baseline tensor {@code i} holds one row per example
     * @return the expanded baselines
     */
    public static Baselines expandBaselines(
            Baselines baselines, int copies, BiPredicate<Integer, NDArray> perExample) {
        if (!(baselines instanceof Baselines.PerInput)) {
            return baselines;
        }
        List<Object> values = ((Baselines.PerInput) baselines).values();
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            out[i] =
                    v instanceof NDArray && perExample.test(i, (NDArray) v)
                            ? expand((NDArray) v, copies, Layout.REPEAT_INTERLEAVE)
                            : v;
        }
        return Baselines.perInput(out);
    }
}
