package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.TapSite;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tap on an {@link ImportedModel}: the forward pass runs with a {@link Store}, the per-call
 * parameter store every container hands to its children, and each container asks it whether a child
 * it is about to call is tapped ({@link ModuleBlock}). The block tree is never modified.
 */
final class BlockTap extends AbstractTap {

    /**
     * The parameter store of a tapped forward pass: DJL's own store plus the tap, so that it
     * travels down the block tree with every call and nothing is kept on the shared model.
     */
    static final class Store extends ParameterStore {
        private final BlockTap tap;

        Store(NDManager manager, BlockTap tap) {
            super(manager, false);
            this.tap = tap;
        }

        BlockTap tap() {
            return tap;
        }
    }

    private final ImportedForwardFunction model;
    private final Map<ModuleBlock, Map<String, Integer>> index = new IdentityHashMap<>();

    BlockTap(
            ImportedForwardFunction model,
            List<LayerPath> layers,
            List<ModuleBlock> parents,
            TapSite site) {
        super(layers, site);
        this.model = model;
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i).name();
            index.computeIfAbsent(parents.get(i), k -> new HashMap<>())
                    .put(name.substring(name.lastIndexOf('.') + 1), i);
        }
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        begin(
                inputs == null || inputs.isEmpty() || inputs.get(0).getShape().dimension() == 0
                        ? -1
                        : inputs.get(0).getShape().get(0));
        return model.forward(inputs, additionalArgs, this);
    }

    /**
     * Runs a child of a container if it is tapped.
     *
     * @return the child's output, or {@code null} if the child is not tapped (the container runs
     *     it)
     */
    NDList intercept(
            ModuleBlock parent,
            String name,
            ParameterStore ps,
            NDList inputs,
            PairList<String, Object> params) {
        Map<String, Integer> children = index.get(parent);
        Integer i = children == null ? null : children.get(name);
        if (i == null) {
            return null;
        }
        if (hasValue(i)) {
            // Captum's hooks would see several calls; which one to attribute to is ambiguous.
            throw new AttributionException(
                    "layer '"
                            + layers().get(i)
                            + "' runs more than once per forward pass; tap a module that runs"
                            + " once (e.g. give each use of a shared ReLU its own module)");
        }
        Block child = parent.child(name);
        if (site() == TapSite.OUTPUT) {
            NDArray replacement = replacement(i);
            NDArray value =
                    replacement != null
                            ? replacement
                            : child.forward(ps, inputs, false, params).singletonOrThrow();
            return new NDList(change(i, value, replacement != null));
        }
        if (inputs.size() != 1) {
            throw new AttributionException(
                    "layer '"
                            + layers().get(i)
                            + "' is called with "
                            + inputs.size()
                            + " tensors; tapping a layer input needs exactly one");
        }
        NDArray replacement = replacement(i);
        NDArray value =
                change(i, replacement != null ? replacement : inputs.get(0), replacement != null);
        return child.forward(ps, new NDList(value), false, params);
    }

    /** Applies the requested delta or replacement and, when recording, the gradient leaf. */
    private NDArray change(int i, NDArray value, boolean replaced) {
        NDArray delta = delta(i);
        NDArray out;
        NDArray leaf = null;
        if (replaced) {
            out = recording() ? (leaf = leaf(value)) : value;
        } else if (!recording() || !value.getDataType().isFloating()) {
            out = delta == null ? value : value.add(delta);
        } else {
            // value + leaf: d(output)/d(leaf) = d(output)/d(value), and gradients still reach the
            // inputs through value.
            leaf = leaf(delta == null ? value.zerosLike() : delta);
            out = value.add(leaf);
        }
        record(i, out, leaf);
        return out;
    }
}
