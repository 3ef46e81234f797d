package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A model whose forward pass completes later: a model behind a network call, a queue or a pool of
 * its own (Captum 0.8's {@code attribute_future} with a forward function returning a {@code
 * torch.futures.Future}). Wrapped by {@link ForwardFunction#async}, it lets a perturbation method
 * keep several batches in flight at once; the attribution is the same as with the synchronous
 * forward.
 *
 * <p>The returned arrays may live in any manager; the method attaches them to its per-call manager
 * once the future completes and closes them with it. The input rows stay open until the future
 * completes (also when another batch failed), so the function may read them from another thread.
 *
 * <pre>{@code
 * AsyncForwardFunction remote = (rows, args) -> client.predictAsync(rows.get(0)); // your client
 * FeatureAblation fa = new FeatureAblation(ForwardFunction.async(remote, 4));
 * try (Attribution a = fa.attribute(Inputs.of(x), Target.index(1),
 *         FeatureAblation.Options.builder().perturbationsPerEval(8).build())) { ... }
 * }</pre>
 */
@FunctionalInterface
public interface AsyncForwardFunction {

    /**
     * Starts a forward pass.
     *
     * @param inputs the input tensors, batch in dimension 0
     * @param additionalArgs the additional forward arguments
     * @return a future of the output, one row per input row; a future completed exceptionally
     *     fails the attribution with an {@link AttributionException} naming the cause
     */
    CompletableFuture<NDArray> forwardAsync(NDList inputs, List<Object> additionalArgs);
}
