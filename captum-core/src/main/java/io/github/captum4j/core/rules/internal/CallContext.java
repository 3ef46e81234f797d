package io.github.captum4j.core.rules.internal;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Lazy;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.rules.ModuleCall;
import io.github.captum4j.core.rules.RuleContext;

import java.util.function.UnaryOperator;

/**
 * The engine's {@link RuleContext} of one module call during {@link RuleBackward}'s backward
 * pass. Not API.
 *
 * @param call the module call
 * @param input the module's input (an autograd leaf, or the value for a rule without autograd)
 * @param output the module's output, recorded from {@code input}
 * @param gradOutput the gradient the rule sees at the output
 * @param natural autograd's gradient for the module, computed on first use
 */
record CallContext(
        ModuleCall call,
        NDArray input,
        NDArray output,
        NDArray gradOutput,
        Lazy<NDArray> natural)
        implements RuleContext {

    /**
     * The context of a call whose autograd gradient is \( J^\top \) {@code propagated}.
     *
     * @param call the module call
     * @param input the module's input
     * @param output the module's output
     * @param gradOutput the gradient the rule sees at the output
     * @param propagated the gradient that reached the output through autograd
     * @return the context
     */
    static CallContext of(
            ModuleCall call,
            NDArray input,
            NDArray output,
            NDArray gradOutput,
            NDArray propagated) {
        return new CallContext(
                call, input, output, gradOutput, new Lazy<>(() -> vjp(input, output, propagated)));
    }

    @Override
    public NDArray gradient() {
        return natural.get();
    }

    @Override
    public Vjp vjpOf(
            UnaryOperator<NDArray> f, NDArray at, NDArray v, UnaryOperator<NDArray> seed) {
        NDArray leaf = at.stopGradient();
        leaf.setRequiresGradient(true);
        NDArray out = f.apply(leaf);
        NDArray g = v != null ? v : seed.apply(out.stopGradient());
        Torch.backward(out, g, false);
        NDArray grad = Torch.gradientOrNull(leaf);
        return new Vjp(out.stopGradient(), grad == null ? at.zerosLike() : grad);
    }

    @Override
    public NDArray vjp(NDArray v) {
        return vjp(input, output, v);
    }

    private static NDArray vjp(NDArray input, NDArray output, NDArray v) {
        Torch.backward(output, v, true);
        NDArray g = Torch.gradientOrNull(input);
        if (g == null) {
            return input.zerosLike();
        }
        NDArray copy = g.duplicate();
        Torch.zeroGrad(input);
        return copy;
    }
}
