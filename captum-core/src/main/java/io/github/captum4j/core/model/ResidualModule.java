package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's residual units. {@code BasicBlock}: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) +
 * identity)}; {@code Bottleneck}: {@code relu(bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x)))))))) +
 * identity)}, where {@code identity = downsample(x)} if the block has a {@code downsample} child,
 * else {@code x}.
 *
 * <p>The ReLU applied at each position is named by the model: torchvision reuses {@code relu}
 * everywhere (so that module runs two or three times per pass, exactly as in PyTorch); the captum4j
 * fixtures give the ReLU after the residual sum its own module {@code relu2}.
 */
final class ResidualModule extends ModuleBlock {

    static final String BASIC = "BasicBlock";
    static final String BOTTLENECK = "Bottleneck";

    private final boolean bottleneck;
    private final boolean downsample;
    private final String[] relus;

    /**
     * Creates the unit; children are added by the caller in execution order.
     *
     * @param bottleneck {@code true} for a Bottleneck (conv1..conv3), {@code false} for a
     *     BasicBlock
     * @param downsample whether the shortcut is a {@code downsample} child
     * @param relus the ReLU child run at each position: after bn1, (after bn2 for a bottleneck),
     *     after the sum
     */
    ResidualModule(boolean bottleneck, boolean downsample, String... relus) {
        super(bottleneck ? BOTTLENECK : BASIC);
        if (relus.length != (bottleneck ? 3 : 2)) {
            throw new IllegalArgumentException(
                    "relus must have " + (bottleneck ? 3 : 2) + " names, got " + relus.length);
        }
        this.bottleneck = bottleneck;
        this.downsample = downsample;
        this.relus = relus.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // each intermediate is released as soon as it is consumed (ModuleBlock.release)
        // each convolution and its BatchNorm may run folded (ModuleBlock.callConvBn)
        NDArray out = callConvBn("conv1", "bn1", ps, x);
        out = convBnReleasing("conv2", "bn2", ps, callReleasing(relus[0], ps, out));
        if (bottleneck) {
            out = convBnReleasing("conv3", "bn3", ps, callReleasing(relus[1], ps, out));
        }
        NDArray identity = downsample ? call("downsample", ps, x) : x;
        // the sum starts from the per-call branch output, so it lands in the caller's manager
        NDArray sum = out.add(identity);
        release(ps, out, sum);
        if (downsample) {
            release(ps, identity, sum);
        }
        return new NDList(callReleasing(relus[relus.length - 1], ps, sum));
    }

    private NDArray convBnReleasing(String conv, String bn, ParameterStore ps, NDArray in) {
        NDArray y = callConvBn(conv, bn, ps, in);
        release(ps, in, y);
        return y;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = outputShape("bn2", outputShape("conv2", outputShape("conv1", inputShapes[0])));
        if (bottleneck) {
            s = outputShape("bn3", outputShape("conv3", s));
        }
        return new Shape[] {s};
    }

    @Override
    List<String> callOrder() {
        List<String> order = new ArrayList<>(List.of("conv1", "bn1", relus[0], "conv2", "bn2"));
        if (bottleneck) {
            order.addAll(List.of(relus[1], "conv3", "bn3"));
        }
        if (downsample) {
            order.add("downsample");
        }
        order.add(relus[relus.length - 1]);
        return order;
    }
}
