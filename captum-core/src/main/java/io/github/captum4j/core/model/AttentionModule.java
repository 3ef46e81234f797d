package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.internal.Scalars;

import java.util.List;

/**
 * Multi-head self attention written with explicit sub-modules, as in GPT-2 / BERT ports: {@code q},
 * {@code k}, {@code v}, {@code out} ({@code nn.Linear(d, d)}) and optionally {@code softmax}
 * ({@code nn.Softmax(dim=-1)}):
 *
 * <pre>
 * q, k, v = q(x), k(x), v(x), each reshaped (N, T, H, d/H) and transposed to (N, H, T, d/H)
 * scores  = q k^T / sqrt(d/H)        (float32 division, as PyTorch's tensor / float)
 * causal: scores[..., i, j] = -inf for j &gt; i;  padding mask (N, T), 0 = padded key: -inf
 * att     = softmax(scores)          (over the key axis)
 * out(  (att v) transposed back and reshaped to (N, T, d)  )
 * </pre>
 *
 * <p>An optional second input is the padding mask (HuggingFace's {@code attention_mask}). Every
 * sub-module runs through {@link #call}, so {@code block.attn.softmax} can be tapped (attention
 * probabilities) or given a rule. Not API.
 */
final class AttentionModule extends ModuleBlock {

    static final String Q = "q";
    static final String K = "k";
    static final String V = "v";
    static final String OUT = "out";
    static final String SOFTMAX = "softmax";

    /** The children an attention container must have (plus an optional {@code softmax}). */
    static final List<String> REQUIRED = List.of(Q, K, V, OUT);

    private final int heads;
    private final boolean causal;
    private final boolean softmaxModule;

    /**
     * Creates the module; children are added by the caller.
     *
     * @param heads the number of heads
     * @param causal whether key {@code j} is hidden from query {@code i < j}
     * @param softmaxModule whether the softmax is a child module {@code softmax}
     */
    AttentionModule(int heads, boolean causal, boolean softmaxModule) {
        super("SelfAttention");
        if (heads < 1) {
            throw new IllegalArgumentException("attention n_head must be >= 1, got " + heads);
        }
        this.heads = heads;
        this.causal = causal;
        this.softmaxModule = softmaxModule;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException(
                    "attention takes x (N, T, d) and an optional padding mask (N, T), got "
                            + inputs.size()
                            + " tensors");
        }
        NDArray x = inputs.get(0);
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) % heads != 0) {
            throw new IllegalArgumentException(
                    "attention input must have shape (N, T, d) with d divisible by n_head "
                            + heads
                            + ", got "
                            + s);
        }
        long n = s.get(0);
        long t = s.get(1);
        long d = s.get(2);
        long dh = d / heads;
        NDArray q = split(call(Q, ps, x), n, t, dh);
        NDArray k = split(call(K, ps, x), n, t, dh);
        NDArray v = split(call(V, ps, x), n, t, dh);
        NDArray scores =
                Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(dh));
        NDManager m = x.getManager();
        NDArray hidden = null;
        if (causal) {
            NDArray pos = m.arange(t);
            hidden = pos.reshape(1, t).gt(pos.reshape(t, 1)).reshape(1, 1, t, t);
        }
        if (inputs.size() == 2) {
            NDArray padded = inputs.get(1).eq(0).reshape(n, 1, 1, t);
            hidden = hidden == null ? padded : hidden.logicalOr(padded);
        }
        if (hidden != null) {
            NDArray minusInf = m.full(scores.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT32);
            scores = NDArrays.where(hidden.broadcast(scores.getShape()), minusInf, scores);
        }
        NDArray att = softmaxModule ? call(SOFTMAX, ps, scores) : scores.softmax(-1);
        NDArray y = att.matMul(v).transpose(0, 2, 1, 3).reshape(n, t, d);
        return new NDList(call(OUT, ps, y));
    }

    private NDArray split(NDArray a, long n, long t, long dh) {
        return a.reshape(n, t, heads, dh).transpose(0, 2, 1, 3);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    List<String> callOrder() {
        return softmaxModule ? List.of(Q, K, V, SOFTMAX, OUT) : REQUIRED;
    }
}
