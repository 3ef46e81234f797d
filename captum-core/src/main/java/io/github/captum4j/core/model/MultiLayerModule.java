package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.internal.Scalars;

import java.util.List;

/**
 * Captum's test model {@code BasicModel_MultiLayer}: {@code forward(x, add_input=None,
 * multidim_output=False)} = {@code linear2(relu(linear1(linear0(x + add_input))))}; with {@code
 * multidim_output} the output {@code y} of shape (N, 2) becomes {@code s = stack((y, 2y), dim=2);
 * stack((s, 4s), dim=3)} of shape (N, 2, 2, 2). {@code linear1_alt} exists but never runs.
 *
 * <p>Block inputs: {@code [x]} or {@code [x, add_input]}; the flag is the block parameter {@value
 * #MULTIDIM_OUTPUT} (a {@link Boolean}, absent = false).
 */
final class MultiLayerModule extends ModuleBlock {

    static final String TYPE = "BasicModel_MultiLayer";
    static final String ADD_INPUT = "add_input";
    static final String MULTIDIM_OUTPUT = "multidim_output";
    static final List<String> USED = List.of("linear0", "linear1", "relu", "linear2");
    static final String UNUSED = "linear1_alt";

    MultiLayerModule() {
        super(TYPE);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        checkInputCount(inputs, 1, 2, "[x] or [x, add_input]");
        NDArray x = inputs.get(0);
        Object add =
                typed(
                        inputs.size() > 1 ? inputs.get(1) : param(params, ADD_INPUT),
                        ADD_INPUT,
                        true,
                        "an NDArray or null",
                        NDArray.class);
        NDArray inp = add == null ? x : x.add((NDArray) add);
        NDArray y = inp;
        for (String name : USED) {
            y = call(name, ps, y);
        }
        Object multidim =
                typed(
                        param(params, MULTIDIM_OUTPUT),
                        MULTIDIM_OUTPUT,
                        true,
                        "a Boolean or null",
                        Boolean.class);
        if (Boolean.TRUE.equals(multidim)) {
            NDArray s = y.stack(Scalars.mul(y, 2), 2);
            y = s.stack(Scalars.mul(s, 4), 3);
        }
        return new NDList(y);
    }

    static Object param(PairList<String, Object> params, String key) {
        return params == null ? null : params.get(key);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        for (String name : USED) {
            s = outputShape(name, s);
        }
        return new Shape[] {s};
    }

    @Override
    List<String> callOrder() {
        return USED;
    }
}
