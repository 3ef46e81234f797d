package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.ForwardingTap;
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
 * <p>The first forward pass that runs the unperturbed prompt (a row of ones) with the layer
 * values left as the model computes them (no delta, no replacement: the layer methods' capture
 * pass) leaves that row's target log-probabilities in {@link #unperturbedLogProbs()}, so the
 * result needs no scoring forward of its own.
 *
 * <p>Not API.
 */
final class TokenLayerModel implements ForwardFunction, LayerAccess {

    private final LayerAccess model;
    private final TextTokenInput input;
    private final long[] suffix;
    private final int from;
    private final long[] targets;
    /** Row of the last formatted batch that is the unperturbed prompt, or -1. */
    private int unperturbedRow = -1;
    private float[] unperturbed;

    /**
     * @param model the LM with its layers
     * @param input the prompt
     * @param suffix the target prefix appended to every formatted prompt
     * @param from the first scored position (output position 0)
     * @param targets the target token at each scored position
     */
    TokenLayerModel(
            LayerAccess model, TextTokenInput input, long[] suffix, int from, long[] targets) {
        this.model = model;
        this.input = input;
        this.suffix = suffix;
        this.from = from;
        this.targets = targets;
    }

    /**
     * The unperturbed prompt's log-probability of the target at each scored position, from the
     * first unshifted forward pass that ran it.
     *
     * @return one per scored position, or {@code null} when no such pass ran
     */
    float[] unperturbedLogProbs() {
        return unperturbed;
    }

    /** The log-softmax of positions {@code from ..} of the logits {@code (B, T, V)}. */
    private NDArray scored(NDArray logits) {
        return logits.get(new NDIndex(":, {}:", from)).logSoftmax(2);
    }

    /** Keeps the unperturbed row's target log-probabilities of an unshifted pass's output. */
    private NDArray remembered(NDArray scored) {
        if (unperturbed == null && unperturbedRow >= 0) {
            for (long id : targets) {
                CausalLMScorer.checkId(id, scored.getShape().get(2));
            }
            NDArray index = scored.getManager().create(targets, new Shape(targets.length, 1));
            unperturbed = scored.get(unperturbedRow).stopGradient().gather(index, 1).toFloatArray();
        }
        return scored;
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
        unperturbedRow = -1;
        for (int r = 0; r < b; r++) {
            float[] row = java.util.Arrays.copyOfRange(flat, r * n, (r + 1) * n);
            long[] p = input.toModelInput(row);
            if (first == null) {
                first = p;
                width = p.length + suffix.length;
                out = new long[b * width];
            }
            if (unperturbedRow < 0 && allOnes(row)) {
                unperturbedRow = r;
            }
            System.arraycopy(p, 0, out, r * width, p.length);
            System.arraycopy(suffix, 0, out, r * width + p.length, suffix.length);
        }
        return rows.getManager().create(out, new Shape(b, width));
    }

    private static boolean allOnes(float[] row) {
        for (float v : row) {
            if (v != 1f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        NDArray ids = ids(inputs.get(0));
        return remembered(scored(model.forwardFunction().forward(new NDList(ids), List.of())));
    }

    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        return new ScoringTap(
                model.tap(layers, site).adapted(in -> new NDList(ids(in.get(0))), this::scored));
    }

    @Override
    public List<String> layerNames() {
        return model.layerNames();
    }

    /** The tap, remembering the unperturbed scores of a pass whose layer values are unshifted. */
    private final class ScoringTap extends ForwardingTap {
        private boolean shifted;

        ScoringTap(LayerTap tap) {
            super(tap);
        }

        @Override
        public NDArray forward(NDList inputs, List<Object> additionalArgs) {
            NDArray out = tap.forward(inputs, additionalArgs);
            return shifted ? out : remembered(out);
        }

        @Override
        public void addToValues(NDList deltas) {
            shifted |= deltas != null;
            tap.addToValues(deltas);
        }

        @Override
        public void replaceValues(NDList values) {
            shifted |= values != null;
            tap.replaceValues(values);
        }
    }
}
