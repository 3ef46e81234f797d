package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;

import java.util.function.Function;

/**
 * One call of a module during a forward pass of a {@link RuleModel}, as offered to a {@link
 * ModuleInterceptor}: which module runs, on which inputs, and how to run it.
 *
 * @param name the module's dotted PyTorch name, e.g. {@code layer3.1.relu2}
 * @param type the module's PyTorch class name, e.g. {@code ReLU}, {@code Conv2d}, {@code
 *     BasicBlock}
 * @param block the block installed for the module
 * @param container whether the module is a container (its children are offered too, while it runs)
 * @param inputs the tensors the module is called with
 * @param runner runs the module (with the same non-tensor arguments) on given tensors
 */
public record ModuleCall(
        String name,
        String type,
        Block block,
        boolean container,
        NDList inputs,
        Function<NDList, NDArray> runner) {

    /**
     * Runs the module on other tensors (e.g. autograd leaves standing for {@link #inputs()}).
     *
     * @param tensors the tensors, as many as {@link #inputs()}
     * @return the module's output
     */
    public NDArray proceed(NDList tensors) {
        return runner.apply(tensors);
    }

    /**
     * Runs the module on its own inputs.
     *
     * @return the module's output
     */
    public NDArray proceed() {
        return runner.apply(inputs);
    }
}
