package io.github.captum4j.attr;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

/**
 * Deconvolution: the gradient of the target with every ReLU passing back the positive part of the
 * gradient at its output whatever its input, \( R^{(l)} = \max(0, R^{(l+1)}) \) at each ReLU.
 *
 * <p>Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", 2013, <a
 * href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>.
 *
 * <p>As Captum, the rule applies to {@code ReLU} modules (per call, so a ReLU module reused in a
 * residual unit is handled at each use); other modules keep their gradient. The model must be a
 * Block model ({@link RuleModel}). Inputs: floating-point {@code (N, ...)}; no baselines. Output:
 * one tensor per input, of its shape. One forward and one backward pass.
 *
 * <pre>{@code
 * try (Attribution a = new Deconvolution(model.forwardFunction())
 *         .attribute(Inputs.of(images), Target.index(3))) { ... }
 * }</pre>
 */
public final class Deconvolution extends RuleGradientMethod<Deconvolution.Options> {

    /**
     * Deconvolution of a Block model.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @throws IllegalArgumentException if the model is not a Block model
     */
    public Deconvolution(ForwardFunction forwardFunction) {
        super("Deconvolution", forwardFunction, Composite.deconvolution(), Options.DEFAULTS);
    }

    /** How one call runs: the method has no options (Captum has none either). */
    public record Options() {
        /** The only options. */
        public static final Options DEFAULTS = new Options();
    }
}
