package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.internal.BatchRows;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * The state every {@link LayerTap} keeps for one forward pass at a time: the requested deltas or
 * replacements, the values the last pass produced and the autograd leaves it added. Subclasses run
 * the model.
 */
abstract class AbstractTap implements LayerTap {

    private final List<LayerPath> layers;
    private final TapSite site;
    private NDList deltas;
    private NDList replacements;
    private NDArray[] values;
    private NDArray[] leaves;
    /** Rows of the current pass's inputs (dimension 0), or -1 when unknown. */
    private long rows = -1;
    private boolean recorded;
    private boolean closed;

    AbstractTap(List<LayerPath> layers, TapSite site) {
        this.layers = List.copyOf(layers);
        this.site = Checks.notNull(site, "site");
    }

    /** {@inheritDoc} */
    @Override
    public final List<LayerPath> layers() {
        return layers;
    }

    /** {@inheritDoc} */
    @Override
    public final TapSite site() {
        return site;
    }

    /** {@inheritDoc} */
    @Override
    public final void addToValues(NDList deltas) {
        checkOpen();
        checkCount(deltas, "deltas");
        this.deltas = deltas == null ? null : new NDList(deltas);
        this.replacements = null;
    }

    /** {@inheritDoc} */
    @Override
    public final void replaceValues(NDList values) {
        checkOpen();
        checkCount(values, "values");
        this.replacements = values == null ? null : new NDList(values);
        this.deltas = null;
    }

    /** {@inheritDoc} */
    @Override
    public final NDList values() {
        checkOpen();
        Checks.state(values != null, "values: no forward pass ran through this tap yet");
        NDList out = new NDList(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                throw new AttributionException(
                        "layer '"
                                + layers.get(i)
                                + "' did not run in the forward pass, so it has no "
                                + site.name().toLowerCase(java.util.Locale.ROOT)
                                + " to attribute to");
            }
            out.add(values[i]);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public final NDList gradientLeaves() {
        values();
        Checks.state(
                recorded,
                "gradientLeaves: the last forward pass did not record gradients (grad mode off)");
        return new NDList(leaves);
    }

    /** {@inheritDoc} */
    @Override
    public final void close() {
        closed = true;
        values = null;
        leaves = null;
        deltas = null;
        replacements = null;
    }

    /** Starts a forward pass: forgets the last one's values. */
    final void begin() {
        begin(-1);
    }

    /**
     * Starts a forward pass on inputs of {@code rows} rows: forgets the last one's values.
     *
     * @param rows dimension 0 of the pass's first input, or -1 when unknown
     */
    final void begin(long rows) {
        checkOpen();
        this.rows = rows;
        values = new NDArray[layers.size()];
        leaves = new NDArray[layers.size()];
        recorded = Torch.gradMode();
    }

    /** Whether the current pass records gradients. */
    final boolean recording() {
        return recorded;
    }

    /** Whether layer i already produced a value in this pass. */
    final boolean hasValue(int i) {
        return values[i] != null;
    }

    /** The replacement requested for layer i, or null ({@link #checkRows}). */
    final NDArray replacement(int i) {
        return checkRows(i, replacements == null ? null : replacements.get(i), "replaced");
    }

    /**
     * A delta or replacement is built row by row from the inputs' rows: it must have the pass's
     * rows on dimension 0 ({@link BatchRows}).
     */
    private NDArray checkRows(int i, NDArray change, String how) {
        if (change != null && rows >= 0) {
            BatchRows.requireBatchFirst(layers.get(i).name(), change, rows, how);
        }
        return change;
    }

    /** The delta requested for layer i, or null. */
    final NDArray delta(int i) {
        return checkRows(i, deltas == null ? null : deltas.get(i), "shifted");
    }

    /**
     * Records layer i's value for this pass and the leaf its gradient is read from.
     *
     * @param i the layer's index
     * @param value the value the rest of the model sees
     * @param leaf the leaf whose gradient is d(output)/d(value), or null when not recording
     */
    final void record(int i, NDArray value, NDArray leaf) {
        values[i] = value;
        leaves[i] = leaf;
    }

    /**
     * A fresh autograd leaf holding {@code x}'s values (a copy cut from any graph).
     *
     * @param x the values
     * @return the leaf, requiring gradients
     */
    static NDArray leaf(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    final void checkOpen() {
        Checks.state(!closed, "this LayerTap is closed");
    }

    private void checkCount(NDList list, String name) {
        Checks.argument(
                list == null || list.size() == layers.size(),
                "%s must hold one tensor per tapped layer (%s), got %s",
                name,
                layers.size(),
                list == null ? 0 : list.size());
    }
}
