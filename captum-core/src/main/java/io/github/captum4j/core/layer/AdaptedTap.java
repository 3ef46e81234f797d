package io.github.captum4j.core.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;
import java.util.function.UnaryOperator;

/** {@link LayerTap#adapted}: a tap whose forward pass maps inputs and output around another's. */
record AdaptedTap(LayerTap tap, UnaryOperator<NDList> inputs, UnaryOperator<NDArray> output)
        implements LayerTap {

    @Override
    public List<LayerPath> layers() {
        return tap.layers();
    }

    @Override
    public TapSite site() {
        return tap.site();
    }

    @Override
    public NDArray forward(NDList in, List<Object> additionalArgs) {
        return output.apply(tap.forward(inputs.apply(in), additionalArgs));
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
