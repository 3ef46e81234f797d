package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Torch;

/**
 * What a {@link Rule} sees of one module call during the backward pass: the module's input (an
 * autograd leaf), its output (recorded from that leaf only), the gradient arriving at the output,
 * and autograd on this module alone ({@link #vjp}).
 */
public final class RuleContext {

    private final ModuleCall call;
    private final NDArray input;
    private final NDArray output;
    private final NDArray gradOutput;
    private final NDArray propagated;
    private NDArray gradient;

    RuleContext(
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

    /**
     * The module call (name, PyTorch type, block).
     *
     * @return the call
     */
    public ModuleCall call() {
        return call;
    }

    /**
     * The module's input: an autograd leaf holding the value the module ran on (the value itself,
     * not a leaf, when the rule declared it uses no autograd).
     *
     * @return the input
     */
    public NDArray input() {
        return input;
    }

    /**
     * The module's output, recorded from {@link #input()}.
     *
     * @return the output
     */
    public NDArray output() {
        return output;
    }

    /**
     * The gradient arriving at the module's output. Under {@link Composite#captumHookOrder()}, for
     * a module whose output feeds another ruled module directly, autograd's gradient of that module
     * instead (what Captum's output hook records).
     *
     * @return an array of the output's shape
     */
    public NDArray gradOutput() {
        return gradOutput;
    }

    /**
     * Autograd's gradient for the module: \( J^\top g \) with \( g \) the gradient that reached the
     * output (= {@link #gradOutput()}, except under {@link Composite#captumHookOrder()}). Computed
     * once per call.
     *
     * @return an array of the input's shape
     */
    public NDArray gradient() {
        if (gradient == null) {
            gradient = vjp(propagated);
        }
        return gradient;
    }

    /**
     * Autograd on another function of the module's input (e.g. the module with modified weights):
     * \( J_f^\top v \) at {@code at}.
     *
     * @param f the function, applied to a fresh leaf holding {@code at}
     * @param at where to differentiate, of the input's shape
     * @param v a vector of {@code f}'s output shape, or {@code null} to use {@code f}'s output
     *     itself as the vector's numerator (see {@code seed})
     * @param seed from {@code f}'s output, the vector {@code v} when {@code v} is {@code null}
     * @return the output of {@code f} and the gradient, in that order
     */
    public NDArray[] vjpOf(
            java.util.function.UnaryOperator<NDArray> f,
            NDArray at,
            NDArray v,
            java.util.function.UnaryOperator<NDArray> seed) {
        NDArray leaf = at.stopGradient();
        leaf.setRequiresGradient(true);
        NDArray out = f.apply(leaf);
        NDArray g = v != null ? v : seed.apply(out.stopGradient());
        Torch.backward(out, g, false);
        NDArray grad = RuleBackward.gradientOrNull(leaf);
        return new NDArray[] {out.stopGradient(), grad == null ? at.zerosLike() : grad};
    }

    /**
     * Autograd on this module alone: \( J^\top v \) at the recorded input.
     *
     * @param v a vector of the output's shape
     * @return an array of the input's shape
     */
    public NDArray vjp(NDArray v) {
        Torch.backward(output, v, true);
        NDArray g = RuleBackward.gradientOrNull(input);
        if (g == null) {
            return input.zerosLike();
        }
        NDArray copy = g.duplicate();
        Torch.zeroGrad(input);
        return copy;
    }
}
