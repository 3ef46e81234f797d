package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.AsyncForward;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Perturbations#ablate}'s work on JVM arrays, for a model that is itself evaluated on JVM
 * arrays ({@link ArrayForward}): the same passes of the same perturbed rows (the unperturbed batch
 * as perturbation 0 of the first pass, then the features in id order, {@code
 * perturbationsPerEval} perturbations per pass), the same target values, the same differences \(
 * F(x) - F(\tilde x_k) \) in float32 summed over the ablated elements, with no engine call per
 * perturbation: the input, its baseline and its feature ids are read once, the attributions
 * created once per target. A small problem (an LLM prompt of a few dozen features, a tabular row)
 * otherwise spends more time in the engine's per-operation overhead than in its model.
 *
 * <p>Not API: may change without notice.
 */
public final class ArrayAblation {

    /**
     * Elements of a pass's rows up to which a model that is not an {@link ArrayForward} also runs
     * here (its rows are built on the JVM, then copied to the engine once per pass).
     */
    static final long ADAPTED_PASS_ELEMENTS = 1L << 20;

    private ArrayAblation() {}

    /** An adapted model's output is not float32: the tensor path keeps its type instead. */
    public static final class NotFloat32 extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private NotFloat32() {
            super("the model's output is not float32", null, false, false);
        }
    }

    /**
     * The model as {@link #ablate} runs it, or {@code null} where the tensor path runs: an {@link
     * ArrayForward} as it is; any other synchronous model, when the call has one float32 input, no
     * additional forward arguments and passes of at most {@value #ADAPTED_PASS_ELEMENTS} elements,
     * through an adapter that creates each pass's rows on the engine (in a sub-manager of {@code
     * scratch}), runs the model without gradients and reads its output. A float32 output is read
     * as is; any other type makes the adapter throw {@link NotFloat32} at the first pass, before
     * any result or progress, and the caller runs the tensor path.
     *
     * @param forward the model
     * @param tensors the inputs
     * @param additionalArgs the additional forward arguments
     * @param perturbationsPerEval perturbations per pass
     * @param scratch the call's manager
     * @return the model on JVM arrays, or {@code null}
     */
    public static ArrayForward model(
            ForwardFunction forward,
            NDList tensors,
            List<Object> additionalArgs,
            int perturbationsPerEval,
            NDManager scratch) {
        if (tensors.size() != 1
                || !additionalArgs.isEmpty()
                || tensors.get(0).getDataType() != DataType.FLOAT32) {
            return null;
        }
        if (forward instanceof ArrayForward) {
            return (ArrayForward) forward;
        }
        long passElements = perturbationsPerEval * tensors.get(0).getShape().size();
        if (forward instanceof AsyncForward || passElements > ADAPTED_PASS_ELEMENTS) {
            return null;
        }
        return (rows, shape) -> {
            try (NDManager pass = scratch.newSubManager()) {
                NDArray in = pass.create(rows, new Shape(shape));
                NDArray out = Gradients.forward(forward, new NDList(in), List.of());
                if (out.getDataType() != DataType.FLOAT32) {
                    throw new NotFloat32();
                }
                return new ArrayForward.Output(out.toFloatArray(), out.getShape().getShape());
            }
        };
    }

    /**
     * Feature ablation of one input: ids {@code min .. max} of its feature mask are ablated in turn
     * (an id no element has still costs its perturbation, as on the engine).
     *
     * @param forward the model
     * @param x the input {@code (N, rest...)}, float32
     * @param baselines the call's baselines (a number is used as is, a tensor broadcast to {@code
     *     x})
     * @param mask the input's feature ids, or {@code null} for one feature per element (ids {@code
     *     0 ..} in row-major order, shared by the examples)
     * @param targets the targets, at least one
     * @param perturbationsPerEval perturbations per forward pass
     * @param progress receives progress after each pass under {@code task}
     * @param task the task name
     * @param scratch where the attributions go
     * @return per target, the attribution of {@code x} (one-element list), float32
     */
    public static List<NDList> ablate(
            ArrayForward forward,
            NDArray x,
            Baselines baselines,
            FeatureMask mask,
            List<Target> targets,
            int perturbationsPerEval,
            ProgressListener progress,
            String task,
            NDManager scratch) {
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int size = Math.toIntExact(shape.size());
        int perExample = batch == 0 ? 0 : size / batch;
        float[] xs = x.toFloatArray();
        float[] bs = baselineValues(baselines, x, scratch);
        // The perturbation that ablates each element: 1 + (id - min), so never 0, the unperturbed
        // batch.
        long[] ablatedBy = new long[size];
        long features;
        if (mask == null) {
            for (int i = 0; i < size; i++) {
                ablatedBy[i] = 1 + i % perExample;
            }
            features = perExample;
        } else {
            NDArray ids = broadcast(mask.ids(0), shape);
            long[] feature = ids.toType(DataType.INT64, false).toLongArray();
            for (int i = 0; i < size; i++) {
                ablatedBy[i] = feature[i] - mask.min(0) + 1;
            }
            features = mask.rangeSize(0);
        }
        long all = features + 1;
        int t = targets.size();
        int[] order = byPerturbation(ablatedBy);
        float[][] initial = new float[t][batch];
        float[][] sums = new float[t][size];
        Selection selection = null;
        long passes = Perturbations.passes(all, perturbationsPerEval);
        long done = 0;
        // One pass's rows, kept between passes of the same size: only the elements the previous
        // pass replaced are restored, so a pass costs its own ablated elements, not a full copy.
        float[] rows = null;
        int next = 0; // the first element of `order` not yet ablated
        int restoreFrom = 0;
        for (long first = 0; first < all; first += perturbationsPerEval) {
            int count = (int) Math.min(perturbationsPerEval, all - first);
            int from = next;
            while (next < size && ablatedBy[order[next]] < first + count) {
                next++;
            }
            if (rows == null || rows.length != Math.multiplyExact(count, size)) {
                rows = new float[Math.multiplyExact(count, size)];
                for (int c = 0; c < count; c++) {
                    System.arraycopy(xs, 0, rows, c * size, size);
                }
            } else {
                for (int j = restoreFrom; j < from; j++) {
                    int i = order[j];
                    rows[slot(ablatedBy[i] - first + perturbationsPerEval, i, size)] = xs[i];
                }
            }
            for (int j = from; j < next; j++) {
                int i = order[j];
                rows[slot(ablatedBy[i] - first, i, size)] = bs[i];
            }
            restoreFrom = from;
            long[] in = shape.getShape().clone();
            in[0] = (long) count * batch;
            float[] passRows = rows;
            ArrayForward.Output out =
                    Gradients.modelCall(
                            () -> forward.forwardArray(passRows, in), () -> CallShapes.rows(in[0]));
            Shape outShape = new Shape(out.shape());
            CallShapes.requireRowPerInputRow(outShape, in[0]);
            if (selection == null) {
                selection = new Selection(outShape, batch, targets);
            }
            float[][] values = selection.values(out.values(), outShape, count);
            if (first == 0) {
                for (int k = 0; k < t; k++) {
                    System.arraycopy(values[k], 0, initial[k], 0, batch);
                }
            }
            for (int j = from; j < next; j++) {
                int i = order[j];
                int at = (int) (ablatedBy[i] - first) * batch + i / perExample;
                for (int k = 0; k < t; k++) {
                    sums[k][i] += initial[k][i / perExample] - values[k][at];
                }
            }
            done++;
            progress.onProgress(task, done, Math.max(passes, done));
        }
        List<NDList> result = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            result.add(new NDList(Scope.fresh(scratch, sums[k], shape)));
        }
        return result;
    }

    /** Element indices ordered by the perturbation that ablates them (stable). */
    private static int[] byPerturbation(long[] ablatedBy) {
        Integer[] boxed = new Integer[ablatedBy.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (p, q) -> Long.compare(ablatedBy[p], ablatedBy[q]));
        int[] order = new int[boxed.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /** Where element {@code i} of copy {@code copy} lies in a pass's rows. */
    private static int slot(long copy, int i, int size) {
        return (int) copy * size + i;
    }

    /** The baseline of every element of {@code x}. */
    private static float[] baselineValues(Baselines baselines, NDArray x, NDManager scratch) {
        Number number = BaselineExpansion.number(baselines, new NDList(x), 0);
        if (number != null) {
            float[] bs = new float[Math.toIntExact(x.getShape().size())];
            Arrays.fill(bs, number.floatValue());
            return bs;
        }
        NDArray b = BaselineExpansion.expandBroadcast(baselines, new NDList(x), scratch).get(0);
        return broadcast(b, x.getShape()).toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static NDArray broadcast(NDArray a, Shape shape) {
        return a.getShape().equals(shape) ? a : a.broadcast(shape);
    }

    /** Each target's value per example, as offsets into the rows of a pass's output. */
    private static final class Selection {
        private final Shape row;
        private final long width;
        private final long[][] offsets;

        Selection(Shape outShape, int batch, List<Target> targets) {
            Shape perCopy = new Shape(batch).addAll(outShape.slice(1));
            this.row = outShape.slice(1);
            this.width = row.size();
            this.offsets = new long[targets.size()][];
            for (int k = 0; k < targets.size(); k++) {
                offsets[k] = Targets.offsets(perCopy, targets.get(k));
            }
        }

        /** {@code [target][copy * N + example]}, every value checked finite. */
        float[][] values(float[] out, Shape outShape, int copies) {
            if (!outShape.slice(1).equals(row)) {
                throw new AttributionException(
                        "the forward function returned outputs of shape "
                                + outShape
                                + " after outputs of rows of shape "
                                + row
                                + "; every pass must return the same row shape");
            }
            int batch = offsets[0].length;
            float[][] values = new float[offsets.length][copies * batch];
            for (int k = 0; k < offsets.length; k++) {
                long[] at = offsets[k];
                float[] v = values[k];
                for (int r = 0; r < copies * batch; r++) {
                    float value = out[(int) (r * width + at[r % batch])];
                    if (!Float.isFinite(value)) {
                        throw Perturbations.nonFiniteTargets();
                    }
                    v[r] = value;
                }
            }
            return values;
        }
    }
}
