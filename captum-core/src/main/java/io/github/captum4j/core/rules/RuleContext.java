package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;

import java.util.function.UnaryOperator;

/**
 * What a {@link Rule} sees of one module call during the backward pass: the module's input (an
 * autograd leaf), its output (recorded from that leaf only), the gradient arriving at the output,
 * and autograd on this module alone ({@link #vjp}). The engine provides it; rules only read it.
 */
public interface RuleContext {

    /**
     * The module call (name, PyTorch type, block).
     *
     * @return the call
     */
    ModuleCall call();

    /**
     * The module's input: an autograd leaf holding the value the module ran on (the value itself,
     * not a leaf, when the rule declared it uses no autograd).
     *
     * @return the input
     */
    NDArray input();

    /**
     * The module's output, recorded from {@link #input()}.
     *
     * @return the output
     */
    NDArray output();

    /**
     * The gradient arriving at the module's output. Under {@link Composite#captumHookOrder()}, for
     * a module whose output feeds another ruled module directly, autograd's gradient of that module
     * instead (what Captum's output hook records).
     *
     * @return an array of the output's shape
     */
    NDArray gradOutput();

    /**
     * Autograd's gradient for the module: \( J^\top g \) with \( g \) the gradient that reached the
     * output (= {@link #gradOutput()}, except under {@link Composite#captumHookOrder()}). Computed
     * once per call.
     *
     * @return an array of the input's shape
     */
    NDArray gradient();

    /**
     * Autograd on another function of the module's input (e.g. the module with modified weights):
     * \( J_f^\top v \) at {@code at}.
     *
     * @param f the function, applied to a fresh leaf holding {@code at}
     * @param at where to differentiate, of the input's shape
     * @param v a vector of {@code f}'s output shape, or {@code null} to use {@code f}'s output
     *     itself as the vector's numerator (see {@code seed})
     * @param seed from {@code f}'s output, the vector {@code v} when {@code v} is {@code null}
     * @return the output of {@code f} and the gradient
     */
    Vjp vjpOf(UnaryOperator<NDArray> f, NDArray at, NDArray v, UnaryOperator<NDArray> seed);

    /**
     * Autograd on this module alone: \( J^\top v \) at the recorded input.
     *
     * @param v a vector of the output's shape
     * @return an array of the input's shape
     */
    NDArray vjp(NDArray v);

    /**
     * The result of {@link #vjpOf}.
     *
     * @param output the function's output at {@code at}, detached
     * @param gradient \( J_f^\top v \), of the input's shape (zeros if {@code f} does not depend
     *     on its input)
     */
    record Vjp(NDArray output, NDArray gradient) {}
}
