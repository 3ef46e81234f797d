package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import java.util.List;

/** {@link ForwardFunction} over a DJL block, run with {@code training = false}. */
final class BlockForwardFunction implements ForwardFunction {

    private final Block block;

    BlockForwardFunction(Block block) {
        if (block == null) {
            throw new IllegalArgumentException("block must not be null");
        }
        this.block = block;
    }

    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        NDList all = new NDList(inputs);
        for (int i = 0; i < additionalArgs.size(); i++) {
            Object arg = additionalArgs.get(i);
            if (!(arg instanceof NDArray)) {
                throw new IllegalArgumentException(
                        "additionalArgs["
                                + i
                                + "] must be an NDArray for a plain DJL Block, got "
                                + (arg == null ? "null" : arg.getClass().getSimpleName()));
            }
            all.add((NDArray) arg);
        }
        ParameterStore ps = new ParameterStore(inputs.get(0).getManager(), false);
        NDList out = block.forward(ps, all, false);
        return out.singletonOrThrow();
    }
}
