package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch leaf module as a DJL block: its parameters carry their PyTorch names ({@code weight},
 * {@code bias}) and shapes, and its forward pass is a function of the input and the parameter
 * values. Used for the leaf types that DJL has no block of PyTorch's semantics for. Not API.
 */
final class TorchLeaf extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The computation of one leaf. */
    @FunctionalInterface
    interface Forward {
        /**
         * Computes the output.
         *
         * @param x the input
         * @param params the parameter values, in declaration order
         * @return the output (computed from {@code x}, so it lands in the caller's manager)
         */
        NDArray apply(NDArray x, NDArray[] params);
    }

    private final String description;
    private final Map<String, Shape> shapes;
    private final List<Parameter> params = new ArrayList<>();
    private final Forward forward;

    /**
     * Creates the leaf.
     *
     * @param description e.g. {@code Conv1d(4, 8, kernel_size=5)}
     * @param shapes PyTorch parameter name to shape, in the order {@code forward} receives them
     * @param forward the computation
     */
    TorchLeaf(String description, Map<String, Shape> shapes, Forward forward) {
        super(VERSION);
        this.description = description;
        this.shapes = new LinkedHashMap<>(shapes);
        this.forward = forward;
        for (String name : shapes.keySet()) {
            params.add(
                    addParameter(
                            Parameter.builder()
                                    .setName(name)
                                    .setType(
                                            name.equals("bias")
                                                    ? Parameter.Type.BIAS
                                                    : Parameter.Type.WEIGHT)
                                    .build()));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.singletonOrThrow();
        NDArray[] values = new NDArray[params.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = ps.getValue(params.get(i), x.getDevice(), false);
        }
        return new NDList(forward.apply(x, values));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(
                description + ": output shapes are known only by running the module");
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        for (Parameter param : params) {
            param.setShape(shapes.get(param.getName()));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return description;
    }
}
