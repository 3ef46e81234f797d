package io.github.captum4j.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * Captum's test model {@code BasicModel_MultiLayer_TrueMultiInput} (with {@code x4 = None}): {@code
 * forward(x1, x2, x3)} = {@code m1(x1) + m234(x2, x3, x1, scale)}, {@code m1} being a {@link
 * MultiLayerModule} and {@code m234} a {@link MultiInputModule}; Captum fixes {@code scale} at 1.
 */
final class TrueMultiInputModule extends ModuleBlock {

    static final String TYPE = "BasicModel_MultiLayer_TrueMultiInput";
    static final String M1 = "m1";
    static final String M234 = "m234";

    private final long scale;

    /**
     * Creates the module; children are added by the caller.
     *
     * @param scale the scale passed to {@code m234}
     */
    TrueMultiInputModule(long scale) {
        super(TYPE);
        this.scale = scale;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        checkInputCount(inputs, 3, 3, "[x1, x2, x3]");
        PairList<String, Object> m234Params = new PairList<>();
        m234Params.add(MultiInputModule.SCALE, scale);
        NDList a = new NDList(inputs.get(0));
        NDList b = new NDList(inputs.get(1), inputs.get(2), inputs.get(0));
        return new NDList(call(M1, ps, a, null).add(call(M234, ps, b, m234Params)));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(M1, inputShapes[0])};
    }

    @Override
    List<String> callOrder() {
        return List.of(M1, M234);
    }
}
