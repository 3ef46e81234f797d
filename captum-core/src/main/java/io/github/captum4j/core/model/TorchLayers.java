package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.pooling.Pool;

import io.github.captum4j.core.internal.Scalars;
import io.github.captum4j.core.model.LayerFactory.Binding;
import io.github.captum4j.core.model.ModelSpec.Layer;
import io.github.captum4j.core.model.WeightSource.Init;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch layer factories for the leaf types of real architectures: 1-D convolution and pooling,
 * average pooling, LayerNorm and the transformer / mobile activations, each with PyTorch's exact
 * formula and defaults. Not API.
 */
final class TorchLayers {

    /** The leaf types built here. */
    static final List<String> TYPES =
            List.of(
                    "Conv1d",
                    "MaxPool1d",
                    "AvgPool1d",
                    "AvgPool2d",
                    "AdaptiveAvgPool1d",
                    "LayerNorm",
                    "GELU",
                    "Softmax",
                    "LeakyReLU",
                    "ELU",
                    "Softplus",
                    "SiLU",
                    "ReLU6",
                    "Hardswish",
                    "MultiheadAttention");

    private TorchLayers() {}

    /**
     * Builds one leaf of a type in {@link #TYPES}.
     *
     * @param f the factory (weights, manager)
     * @param l the layer
     * @return the block, or {@code null} if the type is not one of {@link #TYPES}
     */
    static Block leaf(LayerFactory f, Layer l) {
        switch (l.type()) {
            case "Conv1d":
                return conv1d(f, l);
            case "MaxPool1d":
                return maxPool1d(f, l);
            case "AvgPool1d":
            case "AvgPool2d":
                return avgPool(f, l, l.type().equals("AvgPool1d") ? 1 : 2);
            case "AdaptiveAvgPool1d":
                {
                    long size = l.integer("output_size");
                    return function(f, l.type(), x -> adaptiveAvgPool1d(x, size));
                }
            case "LayerNorm":
                return layerNorm(f, l);
            case "GELU":
                return gelu(f, l);
            case "Softmax":
                {
                    if (!l.has("dim")) {
                        throw f.unsupportedAttribute(l, "dim", "an integer (implicit dim)");
                    }
                    int dim = (int) l.integer("dim");
                    return function(f, "Softmax(dim=" + dim + ")", x -> x.softmax(dim));
                }
            case "LeakyReLU":
                {
                    float slope = (float) l.number("negative_slope", 0.01);
                    return function(f, l.type(), x -> Activation.leakyRelu(x, slope));
                }
            case "ELU":
                {
                    float alpha = (float) l.number("alpha", 1.0);
                    return function(f, l.type(), x -> Activation.elu(x, alpha));
                }
            case "Softplus":
                return softplus(f, l);
            case "SiLU":
                return function(f, l.type(), x -> x.mul(x.getNDArrayInternal().sigmoid()));
            case "ReLU6":
                return function(f, l.type(), TorchLayers::relu6);
            case "Hardswish":
                return function(f, l.type(), x -> Scalars.div(x.mul(relu6(x.add(3f))), 6f));
            case "MultiheadAttention":
                return multiheadAttention(f, l);
            default:
                return null;
        }
    }

    private static NDArray relu6(NDArray x) {
        return Scalars.minimum(Activation.relu(x), 6f);
    }

    /** {@code F.adaptive_avg_pool1d}: (N, C, L) to (N, C, size). */
    static NDArray adaptiveAvgPool1d(NDArray x, long size) {
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException(
                    "AdaptiveAvgPool1d input must have shape (N, C, L), got " + x.getShape());
        }
        return LayerFactory.adaptiveAvgPool(x.expandDims(-1), new Shape(size, 1)).squeeze(-1);
    }

    private static Block function(LayerFactory f, String desc, TorchLeafFunction fn) {
        return f.ready(new TorchLeaf(desc, Map.of(), (x, p) -> fn.apply(x)));
    }

    /** A parameterless leaf. */
    @FunctionalInterface
    private interface TorchLeafFunction {
        NDArray apply(NDArray x);
    }

    private static Block conv1d(LayerFactory f, Layer l) {
        long in = l.integer("in_channels");
        long out = l.integer("out_channels");
        long k = l.integer("kernel_size");
        long stride = l.integer("stride", 1);
        long dilation = l.integer("dilation", 1);
        long groups = l.integer("groups", 1);
        boolean bias = l.bool("bias", true);
        if (!"zeros".equals(l.string("padding_mode", "zeros"))) {
            throw f.unsupportedAttribute(l, "padding_mode", "zeros");
        }
        if (l.attributes().get("padding") instanceof String) {
            throw f.unsupportedAttribute(l, "padding", "an integer");
        }
        long padding = l.integer("padding", 0);
        LayerFactory.checkGroups(l, in, out, groups);
        // PyTorch's default: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fan_in)), same bound for bias
        Init init = Init.uniform(1 / Math.sqrt((double) in / groups * k));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("weight", new Shape(out, in / groups, k));
        if (bias) {
            shapes.put("bias", new Shape(out));
        }
        Map<String, Binding> bindings = bindings(shapes, init);
        int g = Math.toIntExact(groups);
        String desc = "Conv1d(" + in + ", " + out + ", kernel_size=" + k + ")";
        TorchLeaf block =
                new TorchLeaf(
                        desc,
                        shapes,
                        (x, p) ->
                                Conv1d.conv1d(
                                                x,
                                                p[0],
                                                bias ? p[1] : null,
                                                new Shape(stride),
                                                new Shape(padding),
                                                new Shape(dilation),
                                                g)
                                        .singletonOrThrow());
        return f.bind(block, l, desc, new Shape(1, in, k), bindings);
    }

    private static Map<String, Binding> bindings(Map<String, Shape> shapes, Init init) {
        Map<String, Binding> bindings = new HashMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            bindings.put(e.getKey(), new Binding(e.getKey(), e.getValue(), init));
        }
        return bindings;
    }

    private static Block maxPool1d(LayerFactory f, Layer l) {
        long k = l.integer("kernel_size");
        long stride = l.integer("stride", k);
        long padding = l.integer("padding", 0);
        boolean ceil = l.bool("ceil_mode", false);
        if (l.integer("dilation", 1) != 1) {
            throw f.unsupportedAttribute(l, "dilation", "1");
        }
        if (l.bool("return_indices", false)) {
            throw f.unsupportedAttribute(l, "return_indices", "false");
        }
        return function(
                f,
                "MaxPool1d(" + k + ")",
                x ->
                        Pool.maxPool1d(
                                x, new Shape(k), new Shape(stride), new Shape(padding), ceil));
    }

    private static Block avgPool(LayerFactory f, Layer l, int dims) {
        long[] k = size(l, "kernel_size", dims, null);
        long[] stride = size(l, "stride", dims, k);
        long[] padding = size(l, "padding", dims, new long[dims]);
        boolean ceil = l.bool("ceil_mode", false);
        boolean includePad = l.bool("count_include_pad", true);
        if (l.has("divisor_override")) {
            throw f.unsupportedAttribute(l, "divisor_override", "None");
        }
        Shape ks = new Shape(k);
        Shape ss = new Shape(stride);
        Shape ps = new Shape(padding);
        return function(
                f,
                l.type(),
                dims == 1
                        ? x -> Pool.avgPool1d(x, ks, ss, ps, ceil, includePad)
                        : x -> Pool.avgPool2d(x, ks, ss, ps, ceil, includePad));
    }

    /** An int or a list of {@code dims} ints (PyTorch's {@code _pair} / {@code _single}). */
    private static long[] size(Layer l, String key, int dims, long[] defaultValue) {
        if (!l.has(key)) {
            if (defaultValue == null) {
                throw new IllegalArgumentException(
                        "layer '" + l.name() + "' (" + l.type() + ") must have '" + key + "'");
            }
            return defaultValue;
        }
        if (dims == 2) {
            return l.pair(key);
        }
        return new long[] {l.integer(key)};
    }

    private static Block layerNorm(LayerFactory f, Layer l) {
        long[] normalized = l.integers("normalized_shape");
        float eps = (float) l.number("eps", 1e-5);
        boolean affine = l.bool("elementwise_affine", true);
        Shape shape = new Shape(normalized);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("weight", shape);
        shapes.put("bias", shape);
        Map<String, Binding> bindings = new HashMap<>();
        // without elementwise_affine PyTorch has no parameters: scale 1, shift 0
        bindings.put("weight", new Binding(affine ? "weight" : null, shape, Init.constant(1)));
        bindings.put("bias", new Binding(affine ? "bias" : null, shape, Init.constant(0)));
        String desc = "LayerNorm(" + shape + ")";
        TorchLeaf block =
                new TorchLeaf(
                        desc,
                        shapes,
                        (x, p) -> LayerNorm.layerNorm(x, shape, p[0], p[1], eps).singletonOrThrow());
        return f.bind(block, l, desc, shape, bindings);
    }

    private static Block gelu(LayerFactory f, Layer l) {
        String approximate =
                l.string("approximate", "none");
        if ("none".equals(approximate)) {
            return function(f, "GELU()", Activation::gelu);
        }
        if (!"tanh".equals(approximate)) {
            throw f.unsupportedAttribute(l, "approximate", "'none' or 'tanh'");
        }
        float c = (float) Math.sqrt(2 / Math.PI);
        return function(
                f,
                "GELU(approximate='tanh')",
                x -> {
                    NDArray cube = Scalars.pow(x, 3f);
                    NDArray inner = Scalars.mul(x.add(Scalars.mul(cube, 0.044715f)), c);
                    return Scalars.mul(x, 0.5f).mul(inner.tanh().add(1f));
                });
    }

    private static Block softplus(LayerFactory f, Layer l) {
        float beta = (float) l.number("beta", 1.0);
        float threshold = (float) l.number("threshold", 20.0);
        return function(
                f,
                "Softplus(beta=" + beta + ", threshold=" + threshold + ")",
                x -> {
                    NDArray bx = Scalars.mul(x, beta);
                    // above the threshold PyTorch returns x; clipping keeps exp finite there
                    NDArray soft =
                            Scalars.div(
                                    Scalars.minimum(bx, threshold).exp().add(1f).log(), beta);
                    return NDArrays.where(bx.gt(threshold), x, soft);
                });
    }

    private static Block multiheadAttention(LayerFactory f, Layer l) {
        long e = l.integer("embed_dim");
        long heads = l.integer("num_heads");
        long kdim = l.integer("kdim", e);
        long vdim = l.integer("vdim", e);
        if (heads < 1 || e % heads != 0) {
            throw new IllegalArgumentException(
                    "layer '"
                            + l.name()
                            + "' (MultiheadAttention) embed_dim "
                            + e
                            + " must be divisible by num_heads, got "
                            + heads);
        }
        for (String flag : List.of("add_bias_kv", "add_zero_attn")) {
            if (l.bool(flag, false)) {
                throw f.unsupportedAttribute(l, flag, "false");
            }
        }
        if (l.has("packed") && l.bool("packed", true) != (kdim == e && vdim == e)) {
            throw f.unsupportedAttribute(l, "packed", "true exactly when kdim = vdim = embed_dim");
        }
        List<String> roles = List.of("query", "key", "value");
        if (l.has("inputs")) {
            roles = l.strings("inputs");
        }
        List<String> all = TorchMultiheadAttention.ROLES;
        if (roles.size() < 3
                || !roles.subList(0, 3).equals(all.subList(0, 3))
                || !all.containsAll(roles)
                || roles.stream().distinct().count() != roles.size()) {
            throw f.unsupportedAttribute(
                    l, "inputs", "query, key, value then key_padding_mask and/or attn_mask");
        }
        boolean bias = l.bool("bias", true);
        TorchMultiheadAttention block =
                new TorchMultiheadAttention(
                        l.name(),
                        e,
                        Math.toIntExact(heads),
                        kdim,
                        vdim,
                        l.bool("batch_first", false),
                        bias,
                        roles);
        // PyTorch's init: xavier_uniform on the projections, zero biases
        Init init = Init.uniform(Math.sqrt(6.0 / (e + e)));
        Map<String, Binding> bindings = new HashMap<>();
        for (Map.Entry<String, Shape> s : block.shapes().entrySet()) {
            Init i = s.getKey().endsWith("bias") ? Init.constant(0) : init;
            bindings.put(s.getKey().replace('.', '_'), new Binding(s.getKey(), s.getValue(), i));
        }
        return f.bind(block, l, block.toString(), new Shape(1, 1, e), bindings);
    }
}
