package io.github.captum4j.attr.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.Quadrature;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Convergence;
import io.github.captum4j.core.internal.PathIntegral;

/**
 * One call of a straight-line path method (not API): Integrated Gradients and everything built the
 * same way (Layer Integrated Gradients, Internal Influence, Layer and Neuron Conductance).
 *
 * <p>What every such method does the same is here, written once: the baselines expanded to the
 * inputs' shapes, the quadrature, the split of its points into forward passes of at most {@code
 * internalBatchSize} rows (Captum's rule, {@link PathIntegral#stepsPerPass}), the progress report
 * after every pass and the convergence delta \( \sum_i \mathrm{attr}_i - (F(x) - F(x')) \). What
 * differs is what a method passes in: where the gradient at a batch of path points is taken
 * ({@link PathIntegral.StepGradients} or {@link PathIntegral.Pass}), which path is walked (the
 * inputs' by default, a layer's values for Layer Integrated Gradients) and what multiplies or
 * reduces the integral afterwards.
 *
 * <pre>{@code
 * PathRun run = PathRun.of(inputs, target, name(), options, scratch);
 * NDList integral = run.integrate((scaled, args, t, steps) -> gradientsAt(scaled, args, t));
 * NDArray delta = run.delta(options.returnConvergenceDelta(), forwardFunction, integral);
 * }</pre>
 *
 * @param call the call's inputs, in {@code scratch}
 * @param target the call's target (not expanded)
 * @param baselines the baselines \( x' \), expanded to the inputs' shapes: the start of the input
 *     path
 * @param options the call's path options: the quadrature ({@code nSteps} points of {@code
 *     method}), the rows per pass ({@code internalBatchSize}) and the listener
 * @param progress where every finished pass is reported
 * @param scratch the per-call manager
 */
public record PathRun(
        Inputs call,
        Target target,
        NDList baselines,
        PathOptions.Group options,
        PathIntegral.Progress progress,
        NDManager scratch) {

    /**
     * Prepares a call: expands the baselines to the inputs' shapes.
     *
     * @param inputs the call's inputs, in {@code scratch}
     * @param target the call's target (not expanded)
     * @param method the method's display name, the task the options' listener is told about
     * @param options the call's path options (any path method's options record)
     * @param scratch the per-call manager
     * @return the call
     */
    public static PathRun of(
            Inputs inputs,
            Target target,
            String method,
            PathOptions.Group options,
            NDManager scratch) {
        return new PathRun(
                inputs,
                target,
                BaselineExpansion.expand(inputs.baselines(), inputs.tensors(), scratch),
                options,
                new PathIntegral.Progress(options.progress(), method),
                scratch);
    }

    /**
     * The inputs \( x \), the end of the input path.
     *
     * @return one tensor per input {@code (N, ...)}
     */
    public NDList inputs() {
        return call.tensors();
    }

    /**
     * \( \sum_k w_k\, g(x' + \alpha_k (x - x')) \) along the input path, a pass of points at a
     * time (zero baselines are not added: the path is then \( \alpha_k x \)).
     *
     * The points and weights are the options' quadrature, {@code nSteps} points of {@code method},
     * split into passes of at most {@code internalBatchSize} rows.
     *
     * @param gradients the gradient at a batch of path points
     * @return one weighted sum per tensor {@code gradients} returns, in {@code scratch}
     */
    public NDList integrate(PathIntegral.StepGradients gradients) {
        NDList start = BaselineExpansion.isZero(call.baselines()) ? null : baselines;
        return integrate(call.tensors(), start, gradients);
    }

    /**
     * \( \sum_k w_k\, g(s + \alpha_k (e - s)) \) along another straight path, such as a layer's
     * values from the baselines' to the inputs' (the inputs' additional arguments and the target
     * expanded to each pass's rows).
     *
     * @param ends the path's end points {@code (N, ...)}
     * @param starts the path's start points, of the ends' shapes, or {@code null} for zeros
     * @param gradients the gradient at a batch of path points
     * @return one weighted sum per tensor {@code gradients} returns, in {@code scratch}
     */
    public NDList integrate(NDList ends, NDList starts, PathIntegral.StepGradients gradients) {
        Quadrature q = options.method().quadrature(options.nSteps());
        return PathIntegral.integrate(
                ends,
                starts,
                call.additionalArgs(),
                target,
                q,
                stepsPerPass(q),
                gradients,
                progress,
                scratch);
    }

    /**
     * Walks the input path a pass at a time and hands each pass to {@code consumer}, for methods
     * that combine neighbouring points rather than weight each one (conductance).
     *
     * The passes hold at most {@code internalBatchSize} rows.
     *
     * @param q the points \( \alpha_k \) (the weights are the consumer's to use or not)
     * @param consumer what to do with each pass, in order along the path
     */
    public void passes(Quadrature q, PathIntegral.Pass consumer) {
        PathIntegral.passes(
                call.tensors(),
                baselines,
                call.additionalArgs(),
                target,
                q,
                stepsPerPass(q),
                consumer,
                progress,
                scratch);
    }

    /**
     * The convergence delta \( \sum_i \mathrm{attr}_i - (F(x) - F(x')) \) per example, or {@code
     * null} when the call did not ask for it.
     *
     * @param wanted whether the call asked for the delta ({@code returnConvergenceDelta})
     * @param model the model \( F \)
     * @param attributions the call's attributions, one per input or layer
     * @return shape {@code (N)}, or {@code null}
     */
    public NDArray delta(boolean wanted, ForwardFunction model, NDList attributions) {
        if (!wanted) {
            return null;
        }
        return Convergence.delta(
                model,
                attributions,
                call.tensors(),
                baselines,
                call.additionalArgs(),
                target);
    }

    /** Captum's split: {@code max(1, internalBatchSize / N)} points per pass, or all of them. */
    private int stepsPerPass(Quadrature q) {
        return PathIntegral.stepsPerPass(options.internalBatchSize(), call.batchSize(), q.size());
    }
}
