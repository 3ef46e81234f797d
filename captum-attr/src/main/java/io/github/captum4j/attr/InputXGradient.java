package io.github.captum4j.attr;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;

/**
 * Input × Gradient: each input multiplied by the gradient of the target output with respect to it,
 * \( A_i(x) = x_i\, \partial F(x) / \partial x_i \).
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
public final class InputXGradient extends GradientAttribution<InputXGradient.Options> {

    /**
     * Input × Gradient of a model.
     *
     * @param forwardFunction the model; must be differentiable
     */
    public InputXGradient(ForwardFunction forwardFunction) {
        super(
                MethodInfo.gradient("Input X Gradient", Options.DEFAULTS)
                        .withMultiplyByInputs(true),
                forwardFunction);
    }

    /** How one call runs: the method has no options (Captum has none either). */
    public record Options() {
        /** The only options. */
        public static final Options DEFAULTS = new Options();
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList x = inputs.tensors();
        NDList grads =
                Gradients.compute(forwardFunction, x, inputs.additionalArgs(), target).gradients();
        NDList out = new NDList(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            out.add(x.get(i).mul(grads.get(i)));
        }
        return new Result(out, null);
    }
}
