package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Checks;

/**
 * The family base of the gradient methods of this package: what each method is ({@link
 * MethodInfo}), a differentiable model, and the entry into the one call frame ({@link
 * AttributionFrame}). A subclass supplies only {@link #compute}.
 *
 * @param <O> the options record
 */
abstract class GradientAttribution<O extends Record> implements AttributionMethod<O> {

    /** The model, differentiable. */
    final ForwardFunction forwardFunction;

    private final MethodInfo<O> info;

    /**
     * Describes the method.
     *
     * @param info what the method is
     * @param forwardFunction the model; must be differentiable
     */
    GradientAttribution(MethodInfo<O> info, ForwardFunction forwardFunction) {
        Checks.notNull(forwardFunction, "forwardFunction");
        Checks.argument(
                forwardFunction.isDifferentiable(),
                "forwardFunction must be differentiable for %s (a gradient method), got a black"
                        + " box; use a perturbation method or wrap a DJL Block / TorchScript model",
                info.name());
        this.info = info;
        this.forwardFunction = forwardFunction;
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
                Provenance.of(info, options, target),
                inputs,
                scratch -> compute(inputs, target, options, scratch));
    }

    /** {@inheritDoc} */
    @Override
    public final MethodInfo<O> info() {
        return info;
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
}
