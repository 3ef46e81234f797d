package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.DataLoaderAttribution.InputRole;
import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * The shared masks and baselines of a {@link DataLoaderAttribution} call, checked against the first
 * batch (not API): which elements are attributed, each one's feature ids and baseline, and how an
 * ablation perturbs a batch ({@code x·keep + baseline·(1 − keep)}, Captum's formula).
 */
record DataLoaderPlan(
        List<InputRole> roles,
        List<Integer> attributed,
        List<Shape> elementShapes,
        List<NDArray> ids,
        List<Object> baselines,
        boolean[][] present,
        int features) {

    static DataLoaderPlan of(
            NDList first, List<InputRole> roles, DataLoaderAttribution.Options o, NDManager scratch) {
        List<Integer> attributed = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            if (roles.get(i) == InputRole.NEED_ATTR) {
                attributed.add(i);
            }
        }
        int n = attributed.size();
        Checks.argument(
                o.featureMask() == null || o.featureMask().size() == n,
                "featureMask must hold one mask per attributed input (%s), got %s",
                n,
                o.featureMask() == null ? 0 : o.featureMask().size());
        Checks.argument(
                o.baselines() == null || o.baselines().size() == n,
                "baselines must hold one baseline per attributed input (%s), got %s",
                n,
                o.baselines() == null ? 0 : o.baselines().size());
        List<Shape> shapes = new ArrayList<>(n);
        List<NDArray> ids = new ArrayList<>(n);
        List<Object> baselines = new ArrayList<>(n);
        List<long[]> idValues = new ArrayList<>(n);
        long next = 0;
        int max = -1;
        for (int a = 0; a < n; a++) {
            NDArray x = first.get(attributed.get(a));
            Shape element = x.getShape().slice(1);
            Shape full = new Shape(1).addAll(element);
            shapes.add(element);
            NDArray mask;
            if (o.featureMask() == null) {
                mask = scratch.arange(next, next + element.size(), 1, DataType.INT64).reshape(full);
                next += element.size();
            } else {
                NDArray given = o.featureMask().get(a);
                Checks.argument(
                        given.getShape().dimension() == full.dimension()
                                && given.getShape().get(0) == 1,
                        "featureMask[%s] must have batch size 1 and broadcast to %s, got %s",
                        a,
                        Checks.shape(full),
                        Checks.shape(given.getShape()));
                mask = given.toType(DataType.INT64, true).broadcast(full);
                mask.attach(scratch);
            }
            long[] v = mask.toLongArray();
            for (long id : v) {
                Checks.argument(id >= 0, "featureMask[%s] ids must be >= 0, got %s", a, id);
                max = (int) Math.max(max, id);
            }
            idValues.add(v);
            ids.add(mask);
            Object b = o.baselines() == null ? 0 : o.baselines().get(a);
            if (b instanceof NDArray t) {
                Checks.argument(
                        t.getShape().get(0) == 1,
                        "baselines[%s] must have batch size 1, got %s",
                        a,
                        Checks.shape(t.getShape()));
            } else {
                Checks.argument(
                        b instanceof Number,
                        "baselines[%s] must be an NDArray or a Number, got %s",
                        a,
                        b);
            }
            baselines.add(b);
        }
        int features = max + 1;
        boolean[][] present = new boolean[n][features];
        for (int a = 0; a < n; a++) {
            for (long id : idValues.get(a)) {
                present[a][(int) id] = true;
            }
        }
        return new DataLoaderPlan(roles, attributed, shapes, ids, baselines, present, features);
    }

    /**
     * The batch with feature {@code f} ablated in every attributed input holding it (-1: none); the
     * perturbed copies go to {@code step}.
     */
    NDList perturb(NDList batch, int f, NDManager step) {
        Checks.argument(
                batch.size() == roles.size(),
                "every batch must have %s elements like the first, got %s",
                roles.size(),
                batch.size());
        NDList out = new NDList(batch);
        if (f < 0) {
            return out;
        }
        for (int a = 0; a < attributed.size(); a++) {
            if (!present[a][f]) {
                continue;
            }
            int i = attributed.get(a);
            NDArray x = batch.get(i);
            NDArray isKept = ids.get(a).neq(f);
            isKept.attach(step);
            NDArray keep = isKept.toType(DataType.FLOAT32, false);
            NDArray kept = keep.mul(x);
            Object b = baselines.get(a);
            NDArray drop = keep.neg().add(1);
            NDArray filled = b instanceof NDArray t ? drop.mul(t) : drop.mul((Number) b);
            out.set(i, kept.add(filled));
        }
        return out;
    }

    /** The elements the model takes (all but {@link InputRole#NO_FORWARD}), in order. */
    NDList forwardInputs(NDList batch) {
        NDList out = new NDList();
        for (int i = 0; i < batch.size(); i++) {
            if (roles.get(i) != InputRole.NO_FORWARD) {
                out.add(batch.get(i));
            }
        }
        return out;
    }

    /** Per attributed input, the feature attributions gathered by its ids: (metric, element). */
    NDList toInputShapes(NDArray unique) {
        Shape metricShape = unique.getShape().slice(0, unique.getShape().dimension() - 1);
        NDArray flat = unique.reshape(metricShape.size(), features);
        NDList out = new NDList(attributed.size());
        for (int a = 0; a < attributed.size(); a++) {
            NDArray taken = flat.get(new NDIndex(":, {}", ids.get(a).flatten()));
            out.add(taken.reshape(metricShape.addAll(elementShapes.get(a))));
        }
        return out;
    }
}
