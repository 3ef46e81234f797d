package io.github.captum4j.core.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;

/**
 * A {@link LayerTap} that hands every call to another tap: extend it and override what the
 * wrapper changes (e.g. the forward pass), the rest keeps the wrapped tap's behaviour.
 *
 * <pre>{@code
 * LayerTap counting = new ForwardingTap(model.tap(layers, TapSite.OUTPUT)) {
 *     @Override
 *     public NDArray forward(NDList inputs, List<Object> args) {
 *         calls.incrementAndGet();
 *         return super.forward(inputs, args);
 *     }
 * };
 * }</pre>
 */
public abstract class ForwardingTap implements LayerTap {

    /** The wrapped tap. */
    protected final LayerTap tap;

    /**
     * @param tap the tap every call goes to
     */
    protected ForwardingTap(LayerTap tap) {
        this.tap = tap;
    }

    @Override
    public List<LayerPath> layers() {
        return tap.layers();
    }

    @Override
    public TapSite site() {
        return tap.site();
    }

    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return tap.forward(inputs, additionalArgs);
    }

    @Override
    public void addToValues(NDList deltas) {
        tap.addToValues(deltas);
    }

    @Override
    public void replaceValues(NDList values) {
        tap.replaceValues(values);
    }

    @Override
    public NDList values() {
        return tap.values();
    }

    @Override
    public NDList gradientLeaves() {
        return tap.gradientLeaves();
    }

    @Override
    public void close() {
        tap.close();
    }
}
