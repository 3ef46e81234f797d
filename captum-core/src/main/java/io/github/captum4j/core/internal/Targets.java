package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;

import java.util.List;

/**
 * Turns a model output and a {@link Target} into one scalar per example: the one selector every
 * method uses (Captum's {@code _select_targets}).
 *
 * <p>Not API: may change without notice.
 */
public final class Targets {

    private Targets() {}

    /**
     * Checks a target against the batch size before any forward pass: a per-example target needs
     * one entry per example.
     *
     * @param target the target
     * @param batchSize the number of examples
     */
    public static void validate(Target target, int batchSize) {
        Checks.notNull(target, "target");
        if (target instanceof Target.PerExample) {
            int n = ((Target.PerExample) target).size();
            Checks.argument(
                    n == batchSize,
                    "target must hold one entry per example (%s), got %s entries",
                    batchSize,
                    n);
        }
    }

    /**
     * Selects the target value of every example.
     *
     * @param output the model output, batch in dimension 0
     * @param target the target
     * @return shape {@code (N)}
     */
    public static NDArray select(NDArray output, Target target) {
        Shape shape = output.getShape();
        long[] flat = offsets(shape, target); // also checks the target against the output
        long batch = shape.get(0);
        if (target instanceof Target.None) {
            return shape.dimension() == 1 ? output : output.reshape(batch);
        }
        if (target instanceof Target.Position) {
            NDIndex index = new NDIndex().addAllDim();
            for (int i : ((Target.Position) target).indices()) {
                index.addIndices(i);
            }
            return output.get(index).reshape(batch);
        }
        NDArray positions = output.getManager().create(flat, new Shape(batch, 1));
        NDArray rows = output.reshape(batch, -1);
        return rows.gather(positions.toType(DataType.INT64, false), 1).reshape(batch);
    }

    /**
     * Where each example's target value lies within its row of the output: the flat (row-major)
     * offset into the example's {@code shape[1..]} values, with the same checks and messages as
     * {@link #select}.
     *
     * @param shape the output shape, batch in dimension 0
     * @param target the target
     * @return one offset per example
     */
    public static long[] offsets(Shape shape, Target target) {
        Checks.argument(
                shape.dimension() >= 1,
                "the forward function must return the batch in dimension 0, got a scalar output");
        int batch = Math.toIntExact(shape.get(0));
        if (target instanceof Target.None) {
            Checks.argument(
                    shape.size() == batch,
                    "target is required: forward output has shape %s, more than one value per"
                            + " example",
                    CallShapes.output(shape));
            return new long[batch];
        }
        if (target instanceof Target.Position) {
            int[] idx = ((Target.Position) target).indices();
            checkIndices(idx, shape, target);
            long[] flat = new long[batch];
            java.util.Arrays.fill(flat, offset(idx, shape));
            return flat;
        }
        List<int[]> tuples = ((Target.PerExample) target).tuples();
        Checks.argument(
                tuples.size() == batch,
                "target must hold one entry per example (%s), got %s entries",
                batch,
                tuples.size());
        long[] flat = new long[batch];
        for (int n = 0; n < batch; n++) {
            int[] t = tuples.get(n);
            checkIndices(t, shape, target);
            flat[n] = offset(t, shape);
        }
        return flat;
    }

    /** The row-major offset of checked indices within an example's values. */
    private static long offset(int[] idx, Shape shape) {
        long f = 0;
        for (int d = 0; d < idx.length; d++) {
            f = f * shape.get(d + 1) + idx[d];
        }
        return f;
    }

    /**
     * Checks one example's target indices. Called once per example: the messages (which format
     * the output shape) are only built when a check fails.
     */
    private static void checkIndices(int[] idx, Shape shape, Target target) {
        if (idx.length > shape.dimension() - 1) {
            Checks.argument(
                    false,
                    "target %s has %s indices but the forward output of shape %s has only %s"
                            + " non-batch dimensions",
                    target,
                    idx.length,
                    CallShapes.output(shape),
                    shape.dimension() - 1);
        }
        long rest = 1;
        for (int d = 0; d < idx.length; d++) {
            if (idx[d] >= shape.get(d + 1)) {
                Checks.argument(
                        false,
                        "target index %s is out of range for dimension %s of size %s (forward"
                                + " output shape %s)",
                        idx[d],
                        d + 1,
                        shape.get(d + 1),
                        CallShapes.output(shape));
            }
        }
        for (int d = idx.length + 1; d < shape.dimension(); d++) {
            rest *= shape.get(d);
        }
        if (rest != 1) {
            Checks.argument(
                    false,
                    "target %s selects %s values per example from forward output of shape %s; it"
                            + " must select exactly one",
                    target,
                    rest,
                    CallShapes.output(shape));
        }
    }

    /**
     * Several class-index targets of a {@code (rows, classes)} output read by one gather, {@code
     * (rows, T)} (an LLM's K target tokens, {@code Target.many} over classes), instead of one
     * selection per target.
     *
     * @param raw the output
     * @param targets the targets
     * @return the columns, or {@code null} when the targets are not all single class indices in
     *     range (the per-target path then selects, and reports a bad one)
     */
    public static NDArray columns(NDArray raw, List<Target> targets) {
        if (targets.size() < 2 || raw.getShape().dimension() != 2) {
            return null;
        }
        long classes = raw.getShape().get(1);
        long[] cols = new long[targets.size()];
        for (int i = 0; i < cols.length; i++) {
            if (!(targets.get(i) instanceof Target.Position p)
                    || p.indices().length != 1
                    || p.indices()[0] >= classes) {
                return null;
            }
            cols[i] = p.indices()[0];
        }
        NDArray index = raw.getManager().create(cols);
        NDArray picked = raw.get(new NDIndex(":, {}", index));
        index.close();
        return picked;
    }
}
