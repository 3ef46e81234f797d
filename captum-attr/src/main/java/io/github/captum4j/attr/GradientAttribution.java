package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.Checks;

/**
 * The frame shared by the gradient methods of this package: what each method is (name, flags,
 * default options), the argument checks of every call, the scratch manager, borrowing the caller's
 * arrays and handing the result back. A subclass supplies only {@link #compute}.
 *
 * @param <O> the options record
 */
abstract class GradientAttribution<O extends Record> implements AttributionMethod<O> {

    /** What {@link #compute} returns: one attribution per input and the optional delta. */
    record Result(NDList attributions, NDArray delta) {}

    /** The model, differentiable. */
    final ForwardFunction forwardFunction;

    private final String name;
    private final boolean multiplyByInputs;
    private final boolean convergenceDelta;
    private final boolean usesBaselines;
    private final O defaults;

    /**
     * Describes the method.
     *
     * @param name display name, e.g. "Integrated Gradients"
     * @param forwardFunction the model; must be differentiable
     * @param multiplyByInputs Captum's multiplies_by_inputs
     * @param convergenceDelta whether the method offers a convergence delta
     * @param usesBaselines whether the method reads baselines (others reject non-zero ones)
     * @param defaults the default options
     */
    GradientAttribution(
            String name,
            ForwardFunction forwardFunction,
            boolean multiplyByInputs,
            boolean convergenceDelta,
            boolean usesBaselines,
            O defaults) {
        Checks.notNull(forwardFunction, "forwardFunction");
        Checks.argument(
                forwardFunction.isDifferentiable(),
                "forwardFunction must be differentiable for %s (a gradient method), got a black"
                        + " box; use a perturbation method or wrap a DJL Block / TorchScript model",
                name);
        this.name = name;
        this.forwardFunction = forwardFunction;
        this.multiplyByInputs = multiplyByInputs;
        this.convergenceDelta = convergenceDelta;
        this.usesBaselines = usesBaselines;
        this.defaults = defaults;
    }

    /**
     * The method's computation, inside the call's scratch manager.
     *
     * @param inputs the caller's inputs, borrowed into {@code scratch}
     * @param target the target, checked against the batch size
     * @param options the options
     * @param scratch the per-call manager
     * @return attributions and optional delta, in {@code scratch}
     */
    abstract Result compute(Inputs inputs, Target target, O options, NDManager scratch);

    /** {@inheritDoc} */
    @Override
    public final Attribution attribute(Inputs inputs, Target target, O options) {
        return AttributionFrame.run(
                name,
                options,
                inputs,
                target,
                usesBaselines,
                AttributionFrame.InputRequirement.FINITE_FLOATING,
                scratch -> {
                    Result r = compute(inputs, target, options, scratch);
                    return new AttributionFrame.Result(r.attributions(), r.delta());
                });
    }

    /**
     * \( g \cdot (x - x') \) per input.
     *
     * @param grads gradients per input
     * @param inputs inputs
     * @param baselines baselines of the inputs' shapes
     * @return the products
     */
    static NDList multiplyByDifference(NDList grads, NDList inputs, NDList baselines) {
        NDList out = new NDList(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            out.add(grads.get(i).mul(inputs.get(i).sub(baselines.get(i))));
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public final O defaultOptions() {
        return defaults;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean hasConvergenceDelta() {
        return convergenceDelta;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean multipliesByInputs() {
        return multiplyByInputs;
    }

    /** {@inheritDoc} */
    @Override
    public final boolean usesBaselines() {
        return usesBaselines;
    }

    /** {@inheritDoc} */
    @Override
    public final String name() {
        return name;
    }
}
