package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.github.captum4j.core.internal.Scalars;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions (ops that are not modules) an architecture graph may use, by the name the export
 * tool writes: {@code name} or {@code name(arg, key=value, ...)}. Each has PyTorch's semantics:
 *
 * <ul>
 *   <li>binary, broadcasting: {@code add}, {@code sub}, {@code mul}, {@code div}, {@code matmul},
 *       {@code bmm}; with one input and a number argument ({@code mul(0.5)}, {@code div(2.0)}) the
 *       other operand is that scalar;
 *   <li>shape: {@code flatten(start_dim[, end_dim])}, {@code transpose(a, b)}, {@code
 *       permute(d0, ...)}, {@code reshape(...)} / {@code view(...)} (dims, {@code -1} allowed,
 *       {@code N} = the input's batch size), {@code unsqueeze(d)}, {@code squeeze(d)}, {@code
 *       contiguous}, {@code identity}, {@code cat(dim)};
 *   <li>reductions: {@code mean(dim[, keepdim])}, {@code sum(dim[, keepdim])};
 *   <li>pointwise: {@code relu}, {@code gelu}, {@code tanh}, {@code sigmoid}, {@code
 *       softmax(dim)}, {@code adaptive_avg_pool2d(h, w)};
 *   <li>comparisons with a number: {@code eq(c)}, {@code ne(c)} (a bool tensor, e.g. a padding
 *       mask {@code ids == 0});
 *   <li>masks and positions: {@code causal_mask} (-inf above the diagonal of the last two dims),
 *       {@code positions} (int64 {@code arange(x.size(1))}, for learned position embeddings).
 * </ul>
 *
 * <p>Not API.
 */
final class GraphFunctions {

    private static final Pattern CALL =
            Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\((.*)\\))?$", Pattern.DOTALL);

    private GraphFunctions() {}

    /**
     * Parses one op.
     *
     * @param op the op as written
     * @param arity how many values the node reads
     * @return the function, or {@code null} if the op is not a known function
     * @throws IllegalArgumentException if the op is known but its arguments are not valid
     */
    static Function<List<NDArray>, NDArray> parse(String op, int arity) {
        Matcher m = CALL.matcher(op.trim());
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        List<String> positional = new ArrayList<>();
        java.util.Map<String, String> named = new java.util.HashMap<>();
        if (m.group(2) != null && !m.group(2).isBlank()) {
            for (String part : m.group(2).split(",")) {
                String p = part.trim().replace("(", "").replace(")", "").replace("[", "");
                p = p.replace("]", "");
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq > 0) {
                    named.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
                } else {
                    positional.add(p);
                }
            }
        }
        Args a = new Args(op, positional, named);
        switch (name) {
            case "add":
            case "sub":
            case "mul":
            case "div":
            case "truediv":
                return binary(name, a, arity);
            case "eq":
            case "ne":
                {
                    a.arity(arity, 1);
                    float c = a.number(0);
                    return name.equals("eq") ? in -> in.get(0).eq(c) : in -> in.get(0).neq(c);
                }
            case "matmul":
            case "bmm":
                a.arity(arity, 2);
                return in -> in.get(0).matMul(in.get(1));
            case "flatten":
                {
                    int start = a.integer("start_dim", 0, 0);
                    int end = a.integer("end_dim", 1, -1);
                    return in -> in.get(0).flatten(start, end);
                }
            case "transpose":
                {
                    int d0 = a.integer("dim0", 0, null);
                    int d1 = a.integer("dim1", 1, null);
                    return in -> swap(in.get(0), d0, d1);
                }
            case "permute":
                {
                    int[] dims = a.all();
                    return in -> in.get(0).transpose(dims);
                }
            case "reshape":
            case "view":
                {
                    List<String> dims = a.positional;
                    return in -> in.get(0).reshape(shape(dims, in.get(0)));
                }
            case "unsqueeze":
                {
                    int d = a.integer("dim", 0, null);
                    return in -> in.get(0).expandDims(d);
                }
            case "squeeze":
                {
                    int d = a.integer("dim", 0, null);
                    return in -> in.get(0).squeeze(d);
                }
            case "contiguous":
            case "identity":
            case "dropout":
                return in -> in.get(0);
            case "cat":
            case "concat":
                {
                    int d = a.integer("dim", 0, 0);
                    return in -> NDArrays.concat(new NDList(in), d);
                }
            case "mean":
            case "sum":
                {
                    int d = a.integer("dim", 0, null);
                    boolean keep = Boolean.parseBoolean(a.value("keepdim", 1, "false").toLowerCase());
                    int[] axes = {d};
                    return name.equals("mean")
                            ? in -> in.get(0).mean(axes, keep)
                            : in -> in.get(0).sum(axes, keep);
                }
            case "relu":
                return in -> Activation.relu(in.get(0));
            case "gelu":
                return in -> Activation.gelu(in.get(0));
            case "tanh":
                return in -> in.get(0).tanh();
            case "sigmoid":
                return in -> in.get(0).getNDArrayInternal().sigmoid();
            case "softmax":
                {
                    int d = a.integer("dim", 0, null);
                    return in -> in.get(0).softmax(d);
                }
            case "adaptive_avg_pool2d":
                {
                    int[] size = a.all();
                    Shape s = size.length == 1 ? new Shape(size[0], size[0]) : new Shape(size[0], size[1]);
                    return in -> LayerFactory.adaptiveAvgPool(in.get(0), s);
                }
            case "causal_mask":
                return in -> causalMask(in.get(0));
            case "positions":
                return in -> in.get(0).getManager().arange(in.get(0).getShape().get(1)).toType(DataType.INT64, false);
            default:
                return null;
        }
    }

    private static Function<List<NDArray>, NDArray> binary(String name, Args a, int arity) {
        if (arity == 2) {
            a.noArgs();
            switch (name) {
                case "add":
                    return in -> in.get(0).add(in.get(1));
                case "sub":
                    return in -> in.get(0).sub(in.get(1));
                case "mul":
                    return in -> in.get(0).mul(in.get(1));
                default:
                    return in -> in.get(0).div(in.get(1));
            }
        }
        a.arity(arity, 1);
        float c = a.number(0);
        switch (name) {
            case "add":
                return in -> in.get(0).add(c);
            case "sub":
                return in -> in.get(0).sub(c);
            case "mul":
                return in -> Scalars.mul(in.get(0), c);
            default:
                return in -> Scalars.div(in.get(0), c);
        }
    }

    private static NDArray swap(NDArray x, int d0, int d1) {
        int rank = x.getShape().dimension();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        int a = Math.floorMod(d0, rank);
        int b = Math.floorMod(d1, rank);
        axes[a] = b;
        axes[b] = a;
        return x.transpose(axes);
    }

    private static Shape shape(List<String> dims, NDArray x) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            String d = dims.get(i);
            s[i] = d.equals("N") ? x.getShape().get(0) : Long.parseLong(d);
        }
        return new Shape(s);
    }

    private static NDArray causalMask(NDArray scores) {
        long t = scores.getShape().get(-1);
        long q = scores.getShape().get(-2);
        NDArray qi = scores.getManager().arange(q).reshape(q, 1);
        NDArray kj = scores.getManager().arange(t).reshape(1, t);
        NDArray hidden = kj.gt(qi.add(t - q));
        NDArray minusInf =
                scores.getManager()
                        .full(scores.getShape(), Float.NEGATIVE_INFINITY, DataType.FLOAT32);
        return NDArrays.where(hidden.broadcast(scores.getShape()), minusInf, scores);
    }

    /** The arguments of one op. */
    private record Args(String op, List<String> positional, java.util.Map<String, String> named) {

        String value(String key, int position, String defaultValue) {
            if (named.containsKey(key)) {
                return named.get(key);
            }
            if (position < positional.size()) {
                return positional.get(position);
            }
            if (defaultValue == null) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' must give '" + key + "'");
            }
            return defaultValue;
        }

        int integer(String key, int position, Integer defaultValue) {
            String v = value(key, position, defaultValue == null ? null : defaultValue.toString());
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' argument '" + key + "' must be an integer, got " + v);
            }
        }

        float number(int position) {
            if (position >= positional.size()) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' with one input must give a number to combine with");
            }
            try {
                return Float.parseFloat(positional.get(position));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' must give a number, got " + positional.get(position));
            }
        }

        int[] all() {
            int[] v = new int[positional.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Integer.parseInt(positional.get(i));
            }
            return v;
        }

        void arity(int got, int expected) {
            if (got != expected) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' takes " + expected + " inputs, got " + got);
            }
        }

        void noArgs() {
            if (!positional.isEmpty() || !named.isEmpty()) {
                throw new IllegalArgumentException(
                        "graph op '" + op + "' with two inputs takes no arguments");
            }
        }
    }
}
