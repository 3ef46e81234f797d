package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * A causal LM seen from a {@link TextTokenInput}'s interpretable rows: each row {@code (n)} is
 * formatted to the prompt's ids (absent tokens = the baseline id) followed by a fixed target
 * prefix, the LM runs on them, and the output is the log-softmax of the scored positions only:
 * {@code (B, T - from, V)} for positions {@code from .. T - 1} (the log-softmax of a position
 * depends on that position's logits alone, so slicing first gives the same values and gradients
 * and spares the log-softmax and its backward at every prompt position). A layer method
 * wrapping it sees the LM's layers (taps pass through), so Captum's gradient LLM attribution runs
 * through the public API of LayerIntegratedGradients / LayerGradientXActivation.
 *
 * <p>Not API.
 */
final class TokenLayerModel implements ForwardFunction, LayerAccess {

    private final LayerAccess model;
    private final TextTokenInput input;
    private final long[] suffix;
    private final int from;

    /**
     * @param model the LM with its layers
     * @param input the prompt
     * @param suffix the target prefix appended to every formatted prompt
     * @param from the first scored position (output position 0)
     */
    TokenLayerModel(LayerAccess model, TextTokenInput input, long[] suffix, int from) {
        this.model = model;
        this.input = input;
        this.suffix = suffix;
        this.from = from;
    }

    /** The log-softmax of positions {@code from ..} of the logits {@code (B, T, V)}. */
    private NDArray scored(NDArray logits) {
        return logits.get(new NDIndex(":, {}:", from)).logSoftmax(2);
    }

    /** Formats the rows to token ids in the rows' manager. */
    NDArray ids(NDArray rows) {
        int n = input.featureCount();
        Shape s = rows.getShape();
        int b = (int) s.get(0);
        float[] flat = rows.toType(DataType.FLOAT32, false).toFloatArray();
        long[] first = null;
        long[] out = null;
        int width = 0;
        for (int r = 0; r < b; r++) {
            long[] p = input.toModelInput(java.util.Arrays.copyOfRange(flat, r * n, (r + 1) * n));
            if (first == null) {
                first = p;
                width = p.length + suffix.length;
                out = new long[b * width];
            }
            System.arraycopy(p, 0, out, r * width, p.length);
            System.arraycopy(suffix, 0, out, r * width + p.length, suffix.length);
        }
        return rows.getManager().create(out, new Shape(b, width));
    }

    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return scored(model.forwardFunction().forward(new NDList(ids(inputs.get(0))), List.of()));
    }

    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        return model.tap(layers, site)
                .adapted(in -> new NDList(ids(in.get(0))), this::scored);
    }

    @Override
    public List<String> layerNames() {
        return model.layerNames();
    }
}
