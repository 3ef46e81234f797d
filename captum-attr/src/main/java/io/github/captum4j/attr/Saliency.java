package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;

/**
 * Saliency: the gradient of the target output with respect to each input, by default in absolute
 * value: \( S_i(x) = \left| \partial F(x) / \partial x_i \right| \).
 *
 * <p>Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", 2013, <a
 * href="https://arxiv.org/abs/1312.6034">arXiv:1312.6034</a>.
 *
 * <p>Inputs: floating-point tensors {@code (N, ...)}; no baselines. Output: one tensor per input,
 * of its shape. One forward and one backward pass.
 *
 * <pre>{@code
 * Saliency saliency = new Saliency(model);
 * try (Attribution a = saliency.attribute(Inputs.of(image), Target.index(3))) { ... }
 * }</pre>
 *
 * <p>{@code abs = false} returns the signed gradient.
 */
public final class Saliency extends GradientAttribution<Saliency.Options> {

    /**
     * Saliency of a model.
     *
     * @param forwardFunction the model; must be differentiable
     */
    public Saliency(ForwardFunction forwardFunction) {
        super(MethodInfo.gradient("Saliency", Options.DEFAULTS), forwardFunction);
    }

    /**
     * How one call runs.
     *
     * @param abs whether to return the absolute value of the gradient (default true)
     */
    public record Options(boolean abs) {
        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(true);
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        NDList grads =
                Gradients.compute(
                                forwardFunction, inputs.tensors(), inputs.additionalArgs(), target)
                        .gradients();
        if (!options.abs()) {
            return new Result(grads, null);
        }
        NDList abs = new NDList(grads.size());
        for (NDArray g : grads) {
            abs.add(g.abs());
        }
        return new Result(abs, null);
    }
}
