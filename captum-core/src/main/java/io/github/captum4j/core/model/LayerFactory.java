package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import io.github.captum4j.core.internal.Torch;

import io.github.captum4j.core.model.ModelSpec.Layer;
import io.github.captum4j.core.model.WeightSource.Init;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch layer factories: builds one leaf module ({@code nn.Linear}, {@code nn.Conv2d}, ...) of
 * an architecture JSON as a DJL block whose parameters come from a {@link WeightSource} and are
 * frozen. The types added for real architectures (1-D convolution and pooling, LayerNorm,
 * transformer activations) live in {@link TorchLayers}. Not API.
 */
final class LayerFactory {

    /** Parameter binding: DJL name to PyTorch name, shape and PyTorch initialisation. */
    record Binding(String ptName, Shape shape, Init init) {}

    private final String modelId;
    private final NDManager manager;
    private final WeightSource weights;

    LayerFactory(String modelId, NDManager manager, WeightSource weights) {
        this.modelId = modelId;
        this.manager = manager;
        this.weights = weights;
    }

    String modelId() {
        return modelId;
    }

    /**
     * Builds one leaf module with its parameters.
     *
     * @param l the layer
     * @return the block, initialised, parameters frozen
     */
    Block leaf(Layer l) {
        switch (l.type()) {
            case "Linear":
                return linear(l);
            case "Conv2d":
                return conv2d(l);
            case "BatchNorm2d":
                return batchNorm2d(l);
            case "ReLU":
                return ready(Activation.reluBlock());
            case "Tanh":
                return ready(Activation.tanhBlock());
            case "Sigmoid":
                return ready(Activation.sigmoidBlock());
            case "Dropout":
            case "Identity":
                // inference: dropout is the identity
                return ready(LambdaBlock.singleton(x -> x, l.type()));
            case "Flatten":
                {
                    int start = (int) l.integer("start_dim", 1);
                    int end = (int) l.integer("end_dim", -1);
                    return ready(LambdaBlock.singleton(x -> x.flatten(start, end), "Flatten"));
                }
            case "MaxPool2d":
                return maxPool2d(l);
            case "AdaptiveAvgPool2d":
                return adaptiveAvgPool2d(l);
            case "Embedding":
                return embedding(l);
            default:
                Block more = TorchLayers.leaf(this, l);
                if (more != null) {
                    return more;
                }
                throw new IllegalArgumentException(
                        "model '"
                                + modelId
                                + "': layer '"
                                + l.name()
                                + "' has type '"
                                + l.type()
                                + "', which is not supported; supported leaf types are "
                                + ModelBuilder.LEAF_TYPES);
        }
    }

    private Block linear(Layer l) {
        long in = l.integer("in_features");
        long out = l.integer("out_features");
        boolean bias = l.bool("bias", true);
        // PyTorch's default: kaiming_uniform(a=sqrt(5)) = U(+-1/sqrt(fan_in)), same bound for bias
        Init init = Init.uniform(1 / Math.sqrt(in));
        Map<String, Binding> bindings = new HashMap<>();
        bindings.put("weight", new Binding("weight", new Shape(out, in), init));
        bindings.put("bias", new Binding("bias", new Shape(out), init));
        Linear block = Linear.builder().setUnits(out).optBias(bias).build();
        return bind(block, l, "Linear(" + in + ", " + out + ")", new Shape(1, in), bindings);
    }

    private Block conv2d(Layer l) {
        long in = l.integer("in_channels");
        long out = l.integer("out_channels");
        long[] k = l.pair("kernel_size");
        long[] stride = l.pair("stride", new long[] {1, 1});
        long[] padding = l.pair("padding", new long[] {0, 0});
        long[] dilation = l.pair("dilation", new long[] {1, 1});
        long groups = l.integer("groups", 1);
        boolean bias = l.bool("bias", true);
        if (!"zeros".equals(l.string("padding_mode", "zeros"))) {
            throw unsupportedAttribute(l, "padding_mode", "zeros");
        }
        checkGroups(l, in, out, groups);
        Conv2d block =
                Conv2d.builder()
                        .setKernelShape(new Shape(k))
                        .setFilters(Math.toIntExact(out))
                        .optStride(new Shape(stride))
                        .optPadding(new Shape(padding))
                        .optDilation(new Shape(dilation))
                        .optGroups(Math.toIntExact(groups))
                        .optBias(bias)
                        .build();
        long fanIn = in / groups * k[0] * k[1];
        long fanOut = out * k[0] * k[1];
        Map<String, Binding> bindings = new HashMap<>();
        // torchvision's ResNet init: kaiming_normal(mode="fan_out", nonlinearity="relu")
        bindings.put(
                "weight",
                new Binding(
                        "weight",
                        new Shape(out, in / groups, k[0], k[1]),
                        Init.normal(Math.sqrt(2.0 / fanOut))));
        bindings.put(
                "bias", new Binding("bias", new Shape(out), Init.uniform(1 / Math.sqrt(fanIn))));
        String desc = "Conv2d(" + in + ", " + out + ", kernel_size=" + new Shape(k) + ")";
        return bind(block, l, desc, new Shape(1, in, k[0], k[1]), bindings);
    }

    private Block batchNorm2d(Layer l) {
        long c = l.integer("num_features");
        double eps = l.number("eps", 1e-5);
        double momentum = l.number("momentum", 0.1);
        boolean affine = l.bool("affine", true);
        if (!l.bool("track_running_stats", true)) {
            throw unsupportedAttribute(l, "track_running_stats", "true");
        }
        BatchNorm block =
                BatchNorm.builder()
                        .optAxis(1)
                        .optEpsilon((float) eps)
                        .optMomentum((float) momentum)
                        .build();
        ConvBnFold.register(block, (float) eps);
        Shape shape = new Shape(c);
        Map<String, Binding> bindings = new HashMap<>();
        // without affine, PyTorch has no weight and bias: scale 1 and shift 0
        bindings.put("gamma", new Binding(affine ? "weight" : null, shape, Init.constant(1)));
        bindings.put("beta", new Binding(affine ? "bias" : null, shape, Init.constant(0)));
        bindings.put("runningMean", new Binding("running_mean", shape, Init.constant(0)));
        bindings.put("runningVar", new Binding("running_var", shape, Init.constant(1)));
        return bind(block, l, "BatchNorm2d(" + c + ")", new Shape(1, c, 1, 1), bindings);
    }

    private Block maxPool2d(Layer l) {
        Shape kernel = new Shape(l.pair("kernel_size"));
        Shape stride = new Shape(l.pair("stride", kernel.getShape()));
        Shape padding = new Shape(l.pair("padding", new long[] {0, 0}));
        long[] dilation = l.pair("dilation", new long[] {1, 1});
        boolean ceil = l.bool("ceil_mode", false);
        if (dilation[0] != 1 || dilation[1] != 1) {
            throw unsupportedAttribute(l, "dilation", "1");
        }
        if (l.bool("return_indices", false)) {
            throw unsupportedAttribute(l, "return_indices", "false");
        }
        return ready(
                LambdaBlock.singleton(
                        x -> Pool.maxPool2d(x, kernel, stride, padding, ceil), "MaxPool2d"));
    }

    private Block adaptiveAvgPool2d(Layer l) {
        Shape size = new Shape(l.pair("output_size"));
        return ready(LambdaBlock.singleton(x -> adaptiveAvgPool(x, size), "AdaptiveAvgPool2d"));
    }

    /** A convolution's groups must divide both channel counts, as PyTorch requires. */
    static void checkGroups(Layer l, long in, long out, long groups) {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(
                    "layer '"
                            + l.name()
                            + "' groups must divide in_channels "
                            + in
                            + " and out_channels "
                            + out
                            + ", got "
                            + groups);
        }
    }

    /** {@code F.adaptive_avg_pool2d}: keeps (N, C, h, w), unlike DJL's global pooling. */
    static NDArray adaptiveAvgPool(NDArray x, Shape size) {
        if (!(x instanceof PtNDArray) || x.getShape().dimension() < 3) {
            throw new IllegalArgumentException(
                    "AdaptiveAvgPool2d input must be a PyTorch-engine array of shape (N, C, H, W),"
                            + " got "
                            + x.getClass().getSimpleName()
                            + " "
                            + x.getShape());
        }
        return Torch.adaptiveAvgPool(x, size);
    }

    private Block embedding(Layer l) {
        long n = l.integer("num_embeddings");
        long dim = l.integer("embedding_dim");
        if (l.has("max_norm")) {
            throw unsupportedAttribute(l, "max_norm", "None");
        }
        Map<String, Binding> bindings = new HashMap<>();
        bindings.put("weight", new Binding("weight", new Shape(n, dim), Init.normal(1)));
        return bind(
                new TorchEmbedding(n, dim),
                l,
                "Embedding(" + n + ", " + dim + ")",
                new Shape(1, 1),
                bindings);
    }

    /**
     * The values of a tensor attribute used by the graph outside any module (a buffer or a
     * parameter), read from the weights.
     *
     * @param name the state-dict name
     * @param shape its shape
     * @return the values, row-major
     */
    float[] constant(String name, Shape shape) {
        try (NDArray a = weights.get(name, shape, Init.constant(0), "constant '" + name + "'")) {
            return a.toFloatArray();
        }
    }

    IllegalArgumentException unsupportedAttribute(Layer l, String key, String allowed) {
        return new IllegalArgumentException(
                "layer '"
                        + l.name()
                        + "' ("
                        + l.type()
                        + ") attribute '"
                        + key
                        + "' must be "
                        + allowed
                        + " to be imported, got "
                        + l.attributes().get(key));
    }

    Block ready(Block block) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1));
        return block;
    }

    /** Gives every parameter its value (frozen), then initialises the block. */
    Block bind(
            Block block, Layer l, String desc, Shape inputShape, Map<String, Binding> bindings) {
        for (Parameter param : block.getDirectParameters().values()) {
            Binding b = bindings.get(param.getName());
            if (b == null) {
                throw new IllegalStateException(
                        "no PyTorch name for parameter " + param.getName() + " of " + desc);
            }
            NDArray value =
                    b.ptName() == null
                            ? manager.full(b.shape(), (float) b.init().scale())
                            : weights.get(
                                    l.name() + "." + b.ptName(),
                                    b.shape(),
                                    b.init(),
                                    desc + " '" + l.name() + "'");
            param.setArray(value);
            // frozen: a backward pass computes input gradients only
            param.freeze(true);
        }
        block.initialize(manager, DataType.FLOAT32, inputShape);
        return block;
    }
}
