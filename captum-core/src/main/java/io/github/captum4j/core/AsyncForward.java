package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Checks;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

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
        try {
            return function.forwardAsync(inputs, additionalArgs).join();
        } catch (CompletionException | CancellationException e) {
            throw failed(e);
        }
    }

    /** Never differentiable: the pass runs elsewhere. */
    @Override
    public boolean isDifferentiable() {
        return false;
    }

    /**
     * The exception of a failed pass.
     *
     * @param e what the future threw
     * @return an exception naming the cause
     */
    public static AttributionException failed(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return new AttributionException(
                "the asynchronous forward function failed: " + cause, cause);
    }

    @Override
    public String toString() {
        return "ForwardFunction.async(" + function + ", " + batchesInFlight + ")";
    }
}
