package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * The feature groups of a perturbation call (Captum's {@code feature_mask}): per perturbed tensor,
 * an integer id for every element, elements with the same id being perturbed together. Built and
 * checked once per call; every mask a perturbation needs is then derived with a few vectorised
 * operations.
 *
 * <p>Two numberings, as in Captum:
 *
 * <ul>
 *   <li>{@link #perTensor}: ids are local to each tensor, whose features are perturbed one tensor
 *       at a time over the id range {@code [min, max]} (FeatureAblation, FeaturePermutation,
 *       Occlusion). Default: every element of an example is its own feature.
 *   <li>{@link #shared}: ids are global, the same id in two tensors is one feature, and there are
 *       {@code max + 1} features (ShapleyValueSampling, ShapleyValues, Lime, KernelShap, and
 *       FeatureAblation with cross-tensor attribution). Default: consecutive ids over all tensors.
 * </ul>
 *
 * <p>A mask has the tensor's number of dimensions; dimension 0 is 1 (one mask for every example) or
 * the batch size, the other dimensions equal the tensor's or are 1 (broadcast). Stored ids are
 * int64 of shape {@code (B, rest...)} with {@code B} 1 or the batch size and {@code rest} the
 * tensor's full example shape.
 *
 * <p>Not API: may change without notice.
 */
public final class FeatureMask {

    /** Integers up to this are exact in float32 (arange goes through float). */
    private static final long EXACT_FLOAT_INTEGERS = 1L << 24;

    private final NDList ids;
    private final long[] min;
    private final long[] max;
    private final long count;

    /**
     * For the default numbering, the id of each tensor's first element (the others follow in
     * order), which turns gathers by id into slices; {@code null} for a caller's masks.
     */
    private final long[] offsets;

    private FeatureMask(NDList ids, long[] min, long[] max, long count, long[] offsets) {
        this.ids = ids;
        this.min = min;
        this.max = max;
        this.count = count;
        this.offsets = offsets;
    }

    /**
     * Per-tensor numbering (FeatureAblation's).
     *
     * @param masks one mask per tensor, or {@code null} for one feature per element
     * @param tensors the perturbed tensors, batch in dimension 0
     * @param manager where the ids go
     * @return the mask
     */
    public static FeatureMask perTensor(List<NDArray> masks, NDList tensors, NDManager manager) {
        long[] offsets = masks == null ? defaultOffsets(tensors, false) : null;
        NDList ids =
                masks == null
                        ? defaults(tensors, offsets, manager)
                        : check(masks, tensors, manager);
        long[] min = new long[ids.size()];
        long[] max = new long[ids.size()];
        long count = 0;
        for (int i = 0; i < ids.size(); i++) {
            long[] range = range(ids.get(i), offsets == null ? -1 : offsets[i]);
            min[i] = range[0];
            max[i] = range[1];
            count += range[1] - range[0] + 1;
        }
        return new FeatureMask(ids, min, max, count, offsets);
    }

    /**
     * Shared numbering (Shapley values', Lime's): {@code max + 1} features over all tensors.
     *
     * @param masks one mask per tensor, or {@code null} for one feature per element, numbered
     *     consecutively over the tensors
     * @param tensors the perturbed tensors, batch in dimension 0
     * @param shiftToZero whether ids are shifted so that the smallest is 0 (Lime's rule)
     * @param manager where the ids go
     * @return the mask
     */
    public static FeatureMask shared(
            List<NDArray> masks, NDList tensors, boolean shiftToZero, NDManager manager) {
        long[] offsets = masks == null ? defaultOffsets(tensors, true) : null;
        NDList ids =
                masks == null
                        ? defaults(tensors, offsets, manager)
                        : check(masks, tensors, manager);
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        long[] min = new long[ids.size()];
        long[] max = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            long[] range = range(ids.get(i), offsets == null ? -1 : offsets[i]);
            min[i] = range[0];
            max[i] = range[1];
            lo = Math.min(lo, range[0]);
            hi = Math.max(hi, range[1]);
        }
        // The default ids start at 0, so only a caller's masks are ever shifted.
        if (shiftToZero && lo != 0) {
            NDList shifted = new NDList(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                shifted.add(ids.get(i).sub(lo));
                min[i] -= lo;
                max[i] -= lo;
            }
            ids = shifted;
            hi -= lo;
        }
        return new FeatureMask(ids, min, max, hi + 1, offsets);
    }

    /**
     * Number of features: {@code max + 1} for a shared numbering, the sum of the per-tensor ranges
     * otherwise.
     *
     * @return the count
     */
    public long count() {
        return count;
    }

    /**
     * Number of perturbed tensors.
     *
     * @return the count
     */
    public int size() {
        return ids.size();
    }

    /**
     * The ids of one tensor, int64 {@code (B, rest...)}.
     *
     * @param tensor the tensor's index
     * @return the ids
     */
    public NDArray ids(int tensor) {
        return ids.get(tensor);
    }

    /**
     * Smallest id of one tensor.
     *
     * @param tensor the tensor's index
     * @return the id
     */
    public long min(int tensor) {
        return min[tensor];
    }

    /**
     * Number of ids of one tensor's range {@code [min, max]} (features ablated in turn).
     *
     * @param tensor the tensor's index
     * @return {@code max - min + 1}
     */
    public long rangeSize(int tensor) {
        return max[tensor] - min[tensor] + 1;
    }

    /**
     * Keep masks for ablating features {@code first .. first + count - 1} of one tensor, one at a
     * time: {@code keep[k] = ids != first + k}, shape {@code (count, B, rest...)}, boolean.
     *
     * @param tensor the tensor's index
     * @param first the first id
     * @param count number of features
     * @param manager where the masks go
     * @return the masks
     */
    public NDArray ablationKeep(int tensor, long first, int count, NDManager manager) {
        NDArray x = ids.get(tensor);
        Scope.borrow(manager, List.of(x));
        long[] dims = new long[x.getShape().dimension() + 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = count;
        NDArray features = range(manager, first, count);
        return features.reshape(new Shape(dims)).neq(x.expandDims(0));
    }

    /**
     * The ids present in one tensor, ascending (Captum's {@code torch.unique} of the mask).
     *
     * @param tensor the tensor's index
     * @return the ids
     */
    public long[] presentIds(int tensor) {
        if (offsets != null) {
            long[] out = new long[Math.toIntExact(rangeSize(tensor))];
            for (int k = 0; k < out.length; k++) {
                out[k] = min[tensor] + k;
            }
            return out;
        }
        return java.util.Arrays.stream(ids.get(tensor).toLongArray()).distinct().sorted().toArray();
    }

    /**
     * Keep masks for ablating the given features of one tensor, one at a time: {@code keep[k] = ids
     * != features[k]}, shape {@code (K, B, rest...)}, boolean.
     *
     * @param tensor the tensor's index
     * @param features the ids, any order
     * @param manager where the masks go
     * @return the masks
     */
    public NDArray ablationKeep(int tensor, long[] features, NDManager manager) {
        NDArray x = ids.get(tensor);
        Scope.borrow(manager, List.of(x));
        long[] dims = new long[x.getShape().dimension() + 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = features.length;
        return manager.create(features).reshape(new Shape(dims)).neq(x.expandDims(0));
    }

    /**
     * Keep masks from presence rows over the features: element {@code e} of tensor {@code i} is
     * kept in perturbation {@code k} (and example {@code n}) where {@code presence[k, (n,) id(e)]}
     * is true.
     *
     * @param presence {@code (K, F)} (the same for every example) or {@code (K, N, F)}, boolean
     * @return per tensor, {@code (K, B, rest...)} for {@code (K, F)} presence, {@code (K, N,
     *     rest...)} otherwise, boolean
     */
    public NDList keepFromPresence(NDArray presence) {
        Shape ps = presence.getShape();
        long k = ps.get(0);
        Scope.borrow(presence.getManager(), ids);
        NDList out = new NDList(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            NDArray x = ids.get(i);
            Shape xs = x.getShape();
            long b = xs.get(0);
            long m = xs.size() / b;
            NDArray picked;
            if (offsets != null) {
                Shape lead = ps.dimension() == 2 ? new Shape(k, 1) : new Shape(k, ps.get(1));
                picked = lastSlice(presence, offsets[i], m).reshape(lead.addAll(xs.slice(1)));
            } else if (ps.dimension() == 2) {
                NDArray index = x.reshape(1, b * m).broadcast(new Shape(k, b * m));
                picked = presence.gather(index, 1).reshape(new Shape(k).addAll(xs));
            } else {
                long n = ps.get(1);
                NDArray index = x.reshape(1, b, m).broadcast(new Shape(k, n, m));
                picked = presence.gather(index, 2).reshape(new Shape(k, n).addAll(xs.slice(1)));
            }
            out.add(picked);
        }
        return out;
    }

    /**
     * Spreads per-feature values over the elements of each tensor: element {@code e} of example
     * {@code n} gets {@code values[n, id(e)]} (Captum's conversion of per-feature attributions to
     * the input shape).
     *
     * @param values {@code (N, F)}
     * @param shapes the tensors' shapes, {@code (N, rest...)} each
     * @return per tensor, values of its shape
     */
    public NDList spread(NDArray values, List<Shape> shapes) {
        long n = values.getShape().get(0);
        NDList out = new NDList(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            NDArray x = ids.get(i);
            Shape xs = x.getShape();
            long m = xs.size() / xs.get(0);
            if (offsets != null) {
                out.add(lastSlice(values, offsets[i], m).reshape(shapes.get(i)));
                continue;
            }
            NDArray index = x.reshape(xs.get(0), m).broadcast(new Shape(n, m));
            out.add(values.gather(index, 1).reshape(shapes.get(i)));
        }
        return out;
    }

    /**
     * The int64 values {@code start .. start + count - 1} (exact for any long, unlike an arange
     * through float).
     *
     * @param manager where the array goes
     * @param start the first value
     * @param count how many
     * @return shape {@code (count)}
     */
    public static NDArray range(NDManager manager, long start, long count) {
        if (count <= EXACT_FLOAT_INTEGERS) {
            NDArray r = manager.arange(0f, (float) count, 1f, DataType.INT64);
            return start == 0 ? r : r.add(start);
        }
        long[] values = new long[Math.toIntExact(count)];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + i;
        }
        return manager.create(values);
    }

    /** Elements {@code [first, first + count)} of the last dimension (the whole array if all). */
    private static NDArray lastSlice(NDArray a, long first, long count) {
        long last = a.getShape().get(a.getShape().dimension() - 1);
        if (first == 0 && count == last) {
            return a;
        }
        return a.get(new NDIndex("..., {}:{}", first, first + count));
    }

    /** The first default id of each tensor: consecutive over the tensors, or 0 for each. */
    private static long[] defaultOffsets(NDList tensors, boolean consecutive) {
        long[] offsets = new long[tensors.size()];
        long next = 0;
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i] = next;
            next = consecutive ? next + tensors.get(i).getShape().slice(1).size() : 0;
        }
        return offsets;
    }

    private static NDList defaults(NDList tensors, long[] offsets, NDManager manager) {
        NDList out = new NDList(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Shape rest = tensors.get(i).getShape().slice(1);
            out.add(range(manager, offsets[i], rest.size()).reshape(new Shape(1).addAll(rest)));
        }
        return out;
    }

    private static NDList check(List<NDArray> masks, NDList tensors, NDManager manager) {
        Checks.argument(
                masks.size() == tensors.size(),
                "featureMask must hold one mask per input (%s), got %s",
                tensors.size(),
                masks.size());
        NDList out = new NDList(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            NDArray mask = masks.get(i);
            Shape ts = tensors.get(i).getShape();
            Checks.argument(mask != null, "featureMask[%s] must not be null", i);
            Shape ms = mask.getShape();
            Checks.argument(
                    mask.getDataType().isInteger(),
                    "featureMask[%s] must hold integers, got %s",
                    i,
                    mask.getDataType());
            Checks.argument(
                    Checks.fitsWithBroadcast(ms, ts),
                    "featureMask[%s] shape %s does not fit inputs[%s] shape %s (expected the same"
                            + " number of dimensions, each equal or 1)",
                    i,
                    ms,
                    i,
                    ts);
            // A copy in the call's manager: the caller's mask is never closed or grown.
            NDArray ids = mask.toType(DataType.INT64, true);
            ids.attach(manager);
            Shape full = new Shape(ms.get(0)).addAll(ts.slice(1));
            out.add(ms.equals(full) ? ids : ids.broadcast(full));
        }
        return out;
    }

    /** The smallest and largest id: known for default ids (from {@code offset >= 0}), else read. */
    private static long[] range(NDArray ids, long offset) {
        Checks.argument(ids.getShape().size() > 0, "featureMask must not be empty");
        if (offset >= 0) {
            return new long[] {offset, offset + ids.getShape().size() - 1};
        }
        long lo = ids.min().getLong();
        long hi = ids.max().getLong();
        Checks.argument(lo >= 0, "featureMask ids must be >= 0, got %s", lo);
        return new long[] {lo, hi};
    }
}
