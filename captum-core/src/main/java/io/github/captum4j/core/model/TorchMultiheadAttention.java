package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.captum4j.core.internal.Scalars;
import io.github.captum4j.core.internal.Torch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code nn.MultiheadAttention} as one leaf (eval mode: dropout is the identity), output
 * 0 of {@code F.multi_head_attention_forward}:
 *
 * <pre>
 * q, k, v = query W_q^T + b_q, key W_k^T + b_k, value W_v^T + b_v   (packed in_proj_weight split
 *           in three, or q/k/v_proj_weight when kdim or vdim differ from embed_dim)
 * per head h (d_h = embed_dim / num_heads):
 *   s_h = (q_h / sqrt(d_h)) k_h^T + attn_mask     (bool mask: -inf where true)
 *   s_h = -inf at keys where key_padding_mask is true (a float padding mask is added)
 *   o_h = softmax(s_h) v_h
 * output = concat_h(o_h) W_out^T + b_out
 * </pre>
 *
 * <p>Inputs in the order the graph passes them: query, key, value, then the masks the JSON
 * layer's {@code inputs} names ({@code key_padding_mask} (N, S), {@code attn_mask} (L, S) or (N *
 * num_heads, L, S)). With {@code batch_first} the tensors are (N, L, E), else (L, N, E).
 * {@code add_bias_kv} and {@code add_zero_attn} are rejected; the attention weights (output 1)
 * are not produced. Not API.
 */
final class TorchMultiheadAttention extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final String KEY_PADDING_MASK = "key_padding_mask";
    private static final String ATTN_MASK = "attn_mask";

    /** Roles of the inputs, in the order the graph passes them. */
    static final List<String> ROLES = List.of("query", "key", "value", KEY_PADDING_MASK, ATTN_MASK);

    private final String name;
    private final long embedDim;
    private final int heads;
    private final boolean batchFirst;
    private final boolean packed;
    private final boolean bias;
    private final List<String> inputs;
    private final Map<String, Shape> shapes;
    private final Map<String, Parameter> params = new LinkedHashMap<>();

    /**
     * Creates the block.
     *
     * @param name the module's dotted name, for messages
     * @param embedDim {@code embed_dim}
     * @param heads {@code num_heads}
     * @param kdim the key's feature size
     * @param vdim the value's feature size
     * @param batchFirst {@code batch_first}
     * @param bias whether the projections have biases
     * @param inputs the roles of the inputs (a prefix query, key, value then masks of {@link
     *     #ROLES})
     */
    TorchMultiheadAttention(
            String name,
            long embedDim,
            int heads,
            long kdim,
            long vdim,
            boolean batchFirst,
            boolean bias,
            List<String> inputs) {
        super(VERSION);
        this.name = name;
        this.embedDim = embedDim;
        this.heads = heads;
        this.batchFirst = batchFirst;
        this.packed = kdim == embedDim && vdim == embedDim;
        this.bias = bias;
        this.inputs = List.copyOf(inputs);
        shapes = new LinkedHashMap<>();
        if (packed) {
            shapes.put("in_proj_weight", new Shape(3 * embedDim, embedDim));
        } else {
            shapes.put("q_proj_weight", new Shape(embedDim, embedDim));
            shapes.put("k_proj_weight", new Shape(embedDim, kdim));
            shapes.put("v_proj_weight", new Shape(embedDim, vdim));
        }
        if (bias) {
            shapes.put("in_proj_bias", new Shape(3 * embedDim));
        }
        shapes.put("out_proj.weight", new Shape(embedDim, embedDim));
        if (bias) {
            shapes.put("out_proj.bias", new Shape(embedDim));
        }
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            String djlName = e.getKey().replace('.', '_');
            params.put(
                    e.getKey(),
                    addParameter(
                            Parameter.builder()
                                    .setName(djlName)
                                    .setType(
                                            e.getKey().endsWith("bias")
                                                    ? Parameter.Type.BIAS
                                                    : Parameter.Type.WEIGHT)
                                    .build()));
        }
    }

    /** The PyTorch name of each parameter by its DJL name, and its shape. */
    Map<String, Shape> shapes() {
        return shapes;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
        if (in.size() != inputs.size()) {
            throw new IllegalArgumentException(
                    "MultiheadAttention '"
                            + name
                            + "' takes "
                            + inputs
                            + ", got "
                            + in.size()
                            + " tensors");
        }
        NDArray query = in.get(0);
        Shape qs = query.getShape();
        if (qs.dimension() != 3 || qs.get(2) != embedDim) {
            throw new IllegalArgumentException(
                    "MultiheadAttention '"
                            + name
                            + "' query must have shape "
                            + (batchFirst ? "(N, L, " : "(L, N, ")
                            + embedDim
                            + "), got "
                            + qs);
        }
        NDArray q = batchFirst ? query : query.swapAxes(0, 1);
        NDArray k = batchFirst ? in.get(1) : in.get(1).swapAxes(0, 1);
        NDArray v = batchFirst ? in.get(2) : in.get(2).swapAxes(0, 1);
        long n = q.getShape().get(0);
        long l = q.getShape().get(1);
        long s = k.getShape().get(1);
        long dh = embedDim / heads;
        NDArray[] proj = project(ps, query, in.get(1), in.get(2), q, k, v);
        NDArray qh = Scalars.div(heads(proj[0], n, l, dh), (float) Math.sqrt(dh));
        NDArray kh = heads(proj[1], n, s, dh);
        NDArray vh = heads(proj[2], n, s, dh);
        NDArray scores = qh.matMul(kh.swapAxes(2, 3));
        for (int i = 3; i < inputs.size(); i++) {
            scores = mask(scores, in.get(i), inputs.get(i), n, l, s);
        }
        NDArray att = scores.softmax(-1);
        NDArray o = att.matMul(vh).swapAxes(1, 2).reshape(n, l, embedDim);
        NDArray out =
                Linear.linear(o, value(ps, "out_proj.weight", o), bias ? value(ps, "out_proj.bias", o) : null)
                        .singletonOrThrow();
        return new NDList(batchFirst ? out : out.swapAxes(0, 1));
    }

    /** q, k, v projections: one product when the three inputs are the same tensor (packed). */
    private NDArray[] project(
            ParameterStore ps,
            NDArray query,
            NDArray key,
            NDArray valueIn,
            NDArray q,
            NDArray k,
            NDArray v) {
        NDArray b = bias ? value(ps, "in_proj_bias", q) : null;
        if (packed) {
            NDArray w = value(ps, "in_proj_weight", q);
            if (query == key && key == valueIn) {
                NDArray qkv = Linear.linear(q, w, b).singletonOrThrow();
                NDList parts = qkv.split(3, 2);
                return new NDArray[] {parts.get(0), parts.get(1), parts.get(2)};
            }
            NDList ws = w.split(3, 0);
            NDList bs = b == null ? null : b.split(3, 0);
            return new NDArray[] {
                linear(q, ws.get(0), bs == null ? null : bs.get(0)),
                linear(k, ws.get(1), bs == null ? null : bs.get(1)),
                linear(v, ws.get(2), bs == null ? null : bs.get(2))
            };
        }
        NDList bs = b == null ? null : b.split(3, 0);
        return new NDArray[] {
            linear(q, value(ps, "q_proj_weight", q), bs == null ? null : bs.get(0)),
            linear(k, value(ps, "k_proj_weight", q), bs == null ? null : bs.get(1)),
            linear(v, value(ps, "v_proj_weight", q), bs == null ? null : bs.get(2))
        };
    }

    private static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /** (N, T, E) to (N, H, T, d_h). */
    private NDArray heads(NDArray a, long n, long t, long dh) {
        return a.reshape(n, t, heads, dh).swapAxes(1, 2);
    }

    private NDArray mask(NDArray scores, NDArray mask, String role, long n, long l, long s) {
        Shape ms = mask.getShape();
        NDArray m;
        if (role.equals(KEY_PADDING_MASK)) {
            if (!ms.equals(new Shape(n, s))) {
                throw maskShape(role, "(" + n + ", " + s + ")", ms);
            }
            m = mask.reshape(n, 1, 1, s);
        } else if (ms.equals(new Shape(l, s))) {
            m = mask.reshape(1, 1, l, s);
        } else if (ms.equals(new Shape(n * heads, l, s))) {
            m = mask.reshape(n, heads, l, s);
        } else {
            throw maskShape(role, "(" + l + ", " + s + ") or (" + n * heads + ", " + l + ", " + s + ")", ms);
        }
        DataType type = m.getDataType();
        if (type == DataType.BOOLEAN || type == DataType.UINT8) {
            NDArray hidden = type == DataType.BOOLEAN ? m : m.neq(0);
            NDArray minusInf = scores.getManager().create(Float.NEGATIVE_INFINITY);
            return Torch.where(hidden, minusInf, scores);
        }
        if (!type.isFloating()) {
            throw new IllegalArgumentException(
                    "MultiheadAttention '"
                            + name
                            + "' "
                            + role
                            + " must be bool or floating point, got "
                            + type);
        }
        return scores.add(m);
    }

    private IllegalArgumentException maskShape(String role, String expected, Shape got) {
        return new IllegalArgumentException(
                "MultiheadAttention '"
                        + name
                        + "' "
                        + role
                        + " must have shape "
                        + expected
                        + ", got "
                        + got);
    }

    private NDArray value(ParameterStore ps, String ptName, NDArray like) {
        return ps.getValue(params.get(ptName), like.getDevice(), false);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            e.getValue().setShape(shapes.get(e.getKey()));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "MultiheadAttention(" + embedDim + ", num_heads=" + heads + ")";
    }
}
