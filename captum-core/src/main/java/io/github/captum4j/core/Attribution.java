package io.github.captum4j.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.internal.Checks;

import java.util.Optional;

/**
 * The result of an attribution call: one attribution tensor per input tensor (same shape, in order)
 * and, where the method offers one and it was asked for, the convergence delta.
 *
 * <p>The arrays are attached to the manager of the caller's first input ({@link Inputs#manager()});
 * {@link #close()} frees them at once (or they go when that manager closes). After {@code close()}
 * the accessors of the arrays throw {@link IllegalStateException}; {@link #keep(NDManager)} copies
 * the attributions into a manager of the caller's choice first, so they outlive the result. {@link
 * #provenance()} says which method, options, target (and layer or neuron) produced it.
 *
 * <pre>{@code
 * try (Attribution a = ig.attribute(Inputs.of(x), Target.index(3))) {
 *     float[] values = a.attribution(0).toFloatArray();
 * }
 * NDList kept;
 * try (Attribution a = ig.attribute(Inputs.of(x), Target.index(3))) {
 *     kept = a.keep(manager);              // still valid after close(), freed with manager
 * }
 * }</pre>
 */
public final class Attribution implements AutoCloseable {

    private final NDList attributions;
    private final NDArray convergenceDelta;
    private final Provenance provenance;
    private volatile boolean closed;

    /**
     * Creates a result. Used by attribution methods; the arrays must already be attached to the
     * caller's manager.
     *
     * @param provenance the method, options, target (and layers, neuron) of the call
     * @param attributions one tensor per input
     * @param convergenceDelta the delta, or {@code null}
     */
    public Attribution(Provenance provenance, NDList attributions, NDArray convergenceDelta) {
        this.provenance = Checks.notNull(provenance, "provenance");
        this.attributions = new NDList(Checks.notNull(attributions, "attributions"));
        this.convergenceDelta = convergenceDelta;
    }

    /**
     * Creates a result computed outside a captum4j method (e.g. an upsampled attribution): its
     * provenance records the name and options only, with every flag of {@link Provenance#method()}
     * false and target {@link Target#none()}.
     *
     * @param method the display name, e.g. "LayerGradCam, upsampled"
     * @param options the options record the result was computed with
     * @param attributions one tensor per input
     * @param convergenceDelta the delta, or {@code null}
     */
    public Attribution(
            String method, Record options, NDList attributions, NDArray convergenceDelta) {
        this(
                Provenance.of(
                        MethodInfo.gradient(
                                Checks.notNull(method, "method"),
                                Checks.notNull(options, "options")),
                        options,
                        Target.none()),
                attributions,
                convergenceDelta);
    }

    /**
     * The attributions, one tensor per input, each of the input's shape.
     *
     * @return a new list over the result's arrays
     */
    public NDList attributions() {
        checkOpen();
        return new NDList(attributions);
    }

    /**
     * The attribution of one input.
     *
     * @param input the input's index
     * @return the tensor, of the input's shape
     */
    public NDArray attribution(int input) {
        checkOpen();
        Checks.argument(
                input >= 0 && input < attributions.size(),
                "input must be in [0, %s), got %s",
                attributions.size(),
                input);
        return attributions.get(input);
    }

    /**
     * Copies of the attributions, one per input, attached to {@code manager}: they stay valid after
     * this result is closed and are freed with that manager (or by closing them).
     *
     * @param manager where the copies live, e.g. a long-lived manager of the caller
     * @return the copies, in input order
     */
    public NDList keep(NDManager manager) {
        checkOpen();
        Checks.notNull(manager, "manager");
        NDList kept = new NDList(attributions.size());
        for (NDArray a : attributions) {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            kept.add(copy);
        }
        return kept;
    }

    /**
     * The convergence delta, if the method computes one and it was requested: for path methods, per
     * example, {@code sum(attributions) - (F(x) - F(baseline))}.
     *
     * @return the delta
     */
    public Optional<NDArray> convergenceDelta() {
        checkOpen();
        return Optional.ofNullable(convergenceDelta);
    }

    /**
     * The method's name, e.g. "Integrated Gradients".
     *
     * @return the name
     */
    public String method() {
        return provenance.method().name();
    }

    /**
     * The options record the call ran with.
     *
     * @return the options
     */
    public Record options() {
        return provenance.options();
    }

    /**
     * Where this result comes from: the method (name, constructor flags, defaults), the options,
     * the target, and the layers or neuron of layer and neuron methods.
     *
     * @return the provenance
     */
    public Provenance provenance() {
        return provenance;
    }

    /** Frees the result's arrays. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        attributions.close();
        if (convergenceDelta != null) {
            convergenceDelta.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(method()).append('[');
        for (int i = 0; i < attributions.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(Checks.shape(attributions.get(i).getShape()));
        }
        return sb.append(closed ? "] (closed)" : "]").toString();
    }

    private void checkOpen() {
        Checks.state(!closed, "this Attribution is closed");
    }
}
