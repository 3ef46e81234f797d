package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.PassPipeline;

import java.util.List;

/**
 * An {@link AsyncForwardFunction} as a (black-box) {@link ForwardFunction}, made by {@link
 * ForwardFunction#async}: perturbation methods keep up to {@link #batchesInFlight()} forward passes
 * running at once; every other use waits for each pass in turn.
 */
public final class AsyncForward implements ForwardFunction {

    private final AsyncForwardFunction function;
    private final int batchesInFlight;

    AsyncForward(AsyncForwardFunction function, int batchesInFlight) {
        this.function = Checks.notNull(function, "function");
        this.batchesInFlight = Checks.atLeast(batchesInFlight, 1, "batchesInFlight");
    }

    /**
     * The asynchronous function.
     *
     * @return the function
     */
    public AsyncForwardFunction function() {
        return function;
    }

    /**
     * Forward passes a perturbation method keeps running at once.
     *
     * @return at least 1
     */
    public int batchesInFlight() {
        return batchesInFlight;
    }

    /** Starts the pass and waits for it. */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return PassPipeline.join(function.forwardAsync(inputs, additionalArgs));
    }

    /** Never differentiable: the pass runs elsewhere. */
    @Override
    public boolean isDifferentiable() {
        return false;
    }

    @Override
    public String toString() {
        return "ForwardFunction.async(" + function + ", " + batchesInFlight + ")";
    }
}
