package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;

/**
 * Input × Gradient: each input multiplied by the gradient of the target output with respect to
 * it, \( A_i(x) = x_i\, \partial F(x) / \partial x_i \).
 *
 * <p>Shrikumar, Greenside, Shcherbina and Kundaje, "Not Just a Black Box: Learning Important
 * Features Through Propagating Activation Differences", 2016, <a
 * href="https://arxiv.org/abs/1605.01713">arXiv:1605.01713</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)}; no baselines. Output: one tensor per input,
 * of its shape. One forward and one backward pass.
 *
 * <pre>{@code
 * try (Attribution a = new InputXGradient(model).attribute(Inputs.of(x), Target.index(2))) { ... }
 * }</pre>
 */
public final class InputXGradient implements AttributionMethod<InputXGradient.Options> {

    private static final String NAME = "Input X Gradient";

    private final ForwardFunction forwardFunction;

    /**
     * Input × Gradient of a model.
     *
     * @param forwardFunction the model; must be differentiable
     */
    public InputXGradient(ForwardFunction forwardFunction) {
        this.forwardFunction = GradientMethods.requireDifferentiable(forwardFunction, NAME);
    }

    /** How one call runs: the method has no options (Captum has none either). */
    public record Options() {
        /** The only options. */
        public static final Options DEFAULTS = new Options();
    }

    /** {@inheritDoc} */
    @Override
    public Attribution attribute(Inputs inputs, Target target, Options options) {
        return GradientMethods.run(
                NAME,
                options,
                inputs,
                target,
                false,
                (in, scratch) -> {
                    NDList x = in.tensors();
                    NDList grads =
                            Gradients.compute(forwardFunction, x, in.additionalArgs(), target).gradients();
                    NDList out = new NDList(grads.size());
                    for (int i = 0; i < grads.size(); i++) {
                        out.add(x.get(i).mul(grads.get(i)));
                    }
                    return new GradientMethods.Result(out, null);
                });
    }

    /** {@inheritDoc} */
    @Override
    public Options defaultOptions() {
        return Options.DEFAULTS;
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasConvergenceDelta() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public boolean multipliesByInputs() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return NAME;
    }
}
