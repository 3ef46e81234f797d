package io.github.captum4j.attr;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

/**
 * Guided backpropagation: the gradient of the target with every ReLU passing back only positive
 * gradients, \( R^{(l)} = \mathbb{1}[x^{(l)} > 0] \cdot \max(0, R^{(l+1)}) \) at each ReLU.
 *
 * <p>Springenberg, Dosovitskiy, Brox and Riedmiller, "Striving for Simplicity: The All
 * Convolutional Net", 2014, <a href="https://arxiv.org/abs/1412.6806">arXiv:1412.6806</a>.
 *
 * <p>As Captum, the rule applies to {@code ReLU} modules (per call, so a ReLU module reused in a
 * residual unit is handled at each use); other modules keep their gradient. The model must be a
 * Block model ({@link RuleModel}). Inputs: floating-point {@code (N, ...)}; no baselines. Output:
 * one tensor per input, of its shape. One forward and one backward pass.
 *
 * <pre>{@code
 * try (Attribution a = new GuidedBackprop(model.forwardFunction())
 *         .attribute(Inputs.of(images), Target.index(3))) { ... }
 * }</pre>
 */
public final class GuidedBackprop extends RuleGradientMethod<GuidedBackprop.Options> {

    /**
     * Guided backpropagation of a Block model.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @throws IllegalArgumentException if the model is not a Block model
     */
    public GuidedBackprop(ForwardFunction forwardFunction) {
        super("Guided Backprop", forwardFunction, Composite.guidedBackprop(), Options.DEFAULTS);
    }

    /** How one call runs: the method has no options (Captum has none either). */
    public record Options() {
        /** The only options. */
        public static final Options DEFAULTS = new Options();
    }
}
