package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
 * prefix, the LM runs on them, and the output is the log-softmax {@code (B, T, V)}. A layer method
 * wrapping it sees the LM's layers (taps pass through), so Captum's gradient LLM attribution runs
 * through the public API of LayerIntegratedGradients / LayerGradientXActivation.
 *
 * <p>Not API.
 */
final class TokenLayerModel implements ForwardFunction, LayerAccess {

    private final LayerAccess model;
    private final TextTokenInput input;
    private final long[] suffix;

    TokenLayerModel(LayerAccess model, TextTokenInput input, long[] suffix) {
        this.model = model;
        this.input = input;
        this.suffix = suffix;
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
        return model.forwardFunction().forward(new NDList(ids(inputs.get(0))), List.of()).logSoftmax(2);
    }

    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        return model.tap(layers, site)
                .adapted(in -> new NDList(ids(in.get(0))), out -> out.logSoftmax(2));
    }

    @Override
    public List<String> layerNames() {
        return model.layerNames();
    }
}
