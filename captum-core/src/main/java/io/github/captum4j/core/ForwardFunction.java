package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;

/**
 * The model seen by an attribution method: a function from input tensors (dimension 0 = batch) and
 * additional forward arguments to one output tensor whose dimension 0 is the batch.
 *
 * <p>Any differentiable composition of DJL operations is a valid forward function for gradient
 * methods: a lambda over {@link NDArray}s, a DJL {@link ai.djl.nn.Block} ({@link
 * #of(ai.djl.nn.Block)}) or a TorchScript module ({@link
 * io.github.captum4j.core.model.TorchScriptModel}). Perturbation methods never take gradients and
 * also accept a black box ({@link #blackBox(ForwardFunction)}), for example one backed by ND4J.
 *
 * <p>Additional forward arguments are passed through unchanged, as Captum's {@code
 * additional_forward_args}: they may be {@link NDArray}s (whose dimension 0 is expanded with the
 * inputs when a method evaluates several perturbed or scaled copies of a batch), {@link Integer},
 * {@link Long}, {@link Double}, {@link Boolean} or {@code null} (Python's {@code None}).
 *
 * <pre>{@code
 * ForwardFunction f = (inputs, extra) -> inputs.get(0).matMul(weights).relu();
 * }</pre>
 */
@FunctionalInterface
public interface ForwardFunction {

    /**
     * Runs the model.
     *
     * @param inputs the input tensors, each with the batch in dimension 0
     * @param additionalArgs additional forward arguments, never {@code null} (empty if none)
     * @return the output, with the batch in dimension 0: a new array (the library takes it over,
     *     even when the model computed it in another manager, say {@code w.matMul(x)} with a
     *     long-lived {@code w}, and frees it with the call), or one of the inputs
     */
    NDArray forward(NDList inputs, List<Object> additionalArgs);

    /**
     * Whether gradients flow through this function. Gradient methods reject a function that returns
     * {@code false}.
     *
     * @return {@code true} unless this is a black box
     */
    default boolean isDifferentiable() {
        return true;
    }

    /**
     * Wraps a DJL {@link ai.djl.nn.Block} run in inference mode ({@code training = false}, so
     * BatchNorm uses its running statistics). Additional arguments that are NDArrays are appended
     * to the block's input list; other kinds are rejected.
     *
     * @param block an initialised block
     * @return the forward function
     */
    static ForwardFunction of(ai.djl.nn.Block block) {
        return new BlockForwardFunction(block);
    }

    /**
     * Marks a function as a black box: perturbation methods accept it, gradient methods reject it
     * with a message saying so.
     *
     * @param function any function over NDArrays, e.g. one that calls ND4J
     * @return the black-box forward function
     */
    static ForwardFunction blackBox(ForwardFunction function) {
        return new ForwardFunction() {
            @Override
            public NDArray forward(NDList inputs, List<Object> additionalArgs) {
                return function.forward(inputs, additionalArgs);
            }

            @Override
            public boolean isDifferentiable() {
                return false;
            }
        };
    }

    /**
     * An asynchronous model (Captum 0.8's {@code attribute_future}): perturbation methods keep up to
     * {@code batchesInFlight} forward passes running at once and give the same attributions as with
     * the synchronous forward; a failed future fails the call with an {@link AttributionException}.
     * Not differentiable (gradient methods reject it as a black box).
     *
     * @param function starts a forward pass and returns its future
     * @param batchesInFlight passes running at once, {@code >= 1}
     * @return the forward function
     */
    static ForwardFunction async(AsyncForwardFunction function, int batchesInFlight) {
        return new AsyncForward(function, batchesInFlight);
    }
}
