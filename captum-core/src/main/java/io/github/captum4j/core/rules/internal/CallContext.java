package io.github.captum4j.core.rules.internal;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.rules.ModuleCall;
import io.github.captum4j.core.rules.RuleContext;

import java.util.function.UnaryOperator;

/**
 * The engine's {@link RuleContext} of one module call during {@link RuleBackward}'s backward
 * pass. Not API.
 */
final class CallContext implements RuleContext {

    private final ModuleCall call;
    private final NDArray input;
    private final NDArray output;
    private final NDArray gradOutput;
    private final NDArray propagated;
    private NDArray gradient;

    CallContext(
            ModuleCall call,
            NDArray input,
            NDArray output,
            NDArray gradOutput,
            NDArray propagated) {
        this.call = call;
        this.input = input;
        this.output = output;
        this.gradOutput = gradOutput;
        this.propagated = propagated;
    }

    @Override
    public ModuleCall call() {
        return call;
    }

    @Override
    public NDArray input() {
        return input;
    }

    @Override
    public NDArray output() {
        return output;
    }

    @Override
    public NDArray gradOutput() {
        return gradOutput;
    }

    @Override
    public NDArray gradient() {
        if (gradient == null) {
            gradient = vjp(propagated);
        }
        return gradient;
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
