package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.internal.Scalars;

import java.util.List;

/**
 * Captum's test model {@code BasicModel_MultiLayer_MultiInput}: {@code forward(x1, x2, x3, scale)}
 * = {@code model(scale * (x1 + x2 + x3))}, {@code model} being a {@link MultiLayerModule}.
 *
 * <p>Block inputs: {@code [x1, x2, x3]}; {@code scale} is the block parameter {@value #SCALE} (an
 * {@link Integer} or {@link Long}, required).
 */
final class MultiInputModule extends ModuleBlock {

    static final String TYPE = "BasicModel_MultiLayer_MultiInput";
    static final String SCALE = "scale";
    static final String MODEL = "model";

    MultiInputModule() {
        super(TYPE);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        checkInputCount(inputs, 3, 3, "[x1, x2, x3]");
        Object scale =
                typed(
                        MultiLayerModule.param(params, SCALE),
                        SCALE,
                        false,
                        "an Integer or Long",
                        Integer.class,
                        Long.class);
        NDArray sum = inputs.get(0).add(inputs.get(1)).add(inputs.get(2));
        NDArray s = Scalars.mul(sum, ((Number) scale).floatValue());
        return new NDList(call(MODEL, ps, s));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(MODEL, inputShapes[0])};
    }

    @Override
    List<String> callOrder() {
        return List.of(MODEL);
    }
}
