package io.github.captum4j.core.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;
import java.util.function.UnaryOperator;

/** {@link LayerTap#adapted}: a tap whose forward pass maps inputs and output around another's. */
final class AdaptedTap extends ForwardingTap {

    private final UnaryOperator<NDList> inputs;
    private final UnaryOperator<NDArray> output;

    AdaptedTap(LayerTap tap, UnaryOperator<NDList> inputs, UnaryOperator<NDArray> output) {
        super(tap);
        this.inputs = inputs;
        this.output = output;
    }

    @Override
    public NDArray forward(NDList in, List<Object> additionalArgs) {
        return output.apply(tap.forward(inputs.apply(in), additionalArgs));
    }
}
