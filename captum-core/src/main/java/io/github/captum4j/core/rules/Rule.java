package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;

/**
 * A vector-Jacobian override for one module call: given the gradient arriving at the module's
 * output, the gradient to pass on to its input, in place of autograd's \( J^\top g \). Rules are
 * bound to modules by a {@link Composite} and applied by {@link io.github.captum4j.core.rules.internal.RuleBackward}.
 *
 * <pre>{@code
 * Rule guided = ctx -> ctx.gradient().maximum(0f); // ReLU: pass positive gradients only
 * }</pre>
 */
@FunctionalInterface
public interface Rule {

    /**
     * The gradient with respect to the module input.
     *
     * @param context the call: its input, output, the incoming gradient and autograd on the module
     * @return an array of the input's shape
     */
    NDArray backward(RuleContext context);

    /**
     * Whether {@link #backward} may call {@link RuleContext#gradient()} or {@link RuleContext#vjp}
     * for this call. If not, the engine records no autograd graph for the module (a little faster);
     * the default is {@code true}.
     *
     * @param call the module call
     * @return whether the rule needs autograd on the module
     */
    default boolean usesAutograd(ModuleCall call) {
        return true;
    }
}
