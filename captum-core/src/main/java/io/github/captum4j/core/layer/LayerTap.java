package io.github.captum4j.core.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A per-call tap on one or more layers of a model ({@link LayerAccess#tap}): the forward passes run
 * through it record each tapped layer's value (its output, or its input for {@link TapSite#INPUT}),
 * optionally shifted by a delta or replaced by a given tensor, and, when the calling thread records
 * gradients, make that value depend on a fresh zero-valued autograd leaf so that one backward pass
 * yields the gradient with respect to the layer value ({@link #gradientLeaves()}) together with the
 * gradient with respect to the inputs.
 *
 * <p>The model itself is never modified: the tap is handed down the forward pass, so closing it
 * leaves the model exactly as it was, also when a forward pass threw, and other threads may use the
 * same model with their own taps at the same time. A tap is used by one thread at a time. Always
 * open it in a try-with-resources block:
 *
 * <pre>{@code
 * try (LayerTap tap = model.tap(List.of(LayerPath.of("layer4")), TapSite.OUTPUT)) {
 *     NDArray logits = tap.forward(new NDList(images), List.of());
 *     NDArray activation = tap.values().get(0);
 * }
 * }</pre>
 *
 * <p>Arrays returned belong to the manager of the first input of the last forward pass.
 */
public interface LayerTap extends AutoCloseable {

    /**
     * The tapped layers, in order; {@link #values()} and {@link #gradientLeaves()} follow it.
     *
     * @return the layers
     */
    List<LayerPath> layers();

    /**
     * Whether the tap reaches the layers' outputs or inputs.
     *
     * @return the site
     */
    TapSite site();

    /**
     * Runs the model once with the tap in place.
     *
     * @param inputs the model's input tensors
     * @param additionalArgs additional forward arguments
     * @return the model output
     * @throws IllegalStateException if the tap is closed
     */
    NDArray forward(NDList inputs, List<Object> additionalArgs);

    /**
     * From the next forward pass on, adds a tensor to each tapped value: {@code value + delta}.
     *
     * @param deltas one tensor per layer, each of the layer value's shape (or broadcastable to it),
     *     or {@code null} entries for layers left unchanged; {@code null} to clear
     */
    void addToValues(NDList deltas);

    /**
     * From the next forward pass on, replaces each tapped value by a given tensor, as a Captum
     * forward hook returning a new output does; what follows the layer sees the replacement.
     *
     * @param values one tensor per layer, of the layer value's shape; {@code null} to clear
     */
    void replaceValues(NDList values);

    /**
     * The tapped values of the last forward pass, after any delta or replacement: one per layer,
     * each with the batch in dimension 0. Part of the autograd graph when gradients were recorded.
     *
     * @return the values
     * @throws IllegalStateException if no forward pass ran through this tap
     * @throws io.github.captum4j.core.AttributionException if a tapped layer did not run in it
     */
    NDList values();

    /**
     * The zero-valued leaves the last forward pass added to the tapped values when the calling
     * thread recorded gradients (libtorch grad mode on): after a backward pass their gradients are
     * the gradients with respect to the layer values.
     *
     * @return one leaf per layer
     * @throws IllegalStateException if the last forward pass did not record gradients
     */
    NDList gradientLeaves();

    /** Ends the tap; the model is untouched. Idempotent. */
    @Override
    void close();

    /**
     * This tap seen through a wrapper of the model: each forward pass maps the caller's inputs
     * before the tapped model runs and maps its output after (e.g. token ids in, log-probabilities
     * out); values, gradients and closing are this tap's.
     *
     * @param inputs maps the caller's inputs to the tapped model's
     * @param output maps the tapped model's output to what the caller sees
     * @return the adapted tap
     */
    default LayerTap adapted(UnaryOperator<NDList> inputs, UnaryOperator<NDArray> output) {
        return new AdaptedTap(this, inputs, output);
    }
}
