package io.github.captum4j.attr;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.attr.internal.PathRun;

import org.immutables.value.Value;

/**
 * Integrated Gradients: the path integral of the gradient along the straight line from the baseline
 * \( x' \) to the input \( x \), times \( x - x' \):
 *
 * <p>\( \mathrm{IG}_i(x) = (x_i - x'_i) \int_0^1 \partial_i F(x' + \alpha (x - x'))\, d\alpha
 * \approx (x_i - x'_i) \sum_k w_k\, \partial_i F(x' + \alpha_k (x - x')) \)
 *
 * <p>with the points \( \alpha_k \) and weights \( w_k \) of {@link Options#method()} ({@link
 * ApproximationMethod}). Completeness: \( \sum_i \mathrm{IG}_i(x) \approx F(x) - F(x') \); the gap
 * is the convergence delta. Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks",
 * 2017, <a href="https://arxiv.org/abs/1703.01365">arXiv:1703.01365</a>.
 *
 * <p>Inputs: one or more floating-point tensors {@code (N, ...)}; {@link
 * io.github.captum4j.core.Baselines} of their shapes (or batch 1, or numbers; default zeros).
 * Output: one tensor per input, of its shape; the delta has shape {@code (N)}. With {@code
 * multiplyByInputs = false} the factor \( x - x' \) is left out (local attribution).
 *
 * <pre>{@code
 * IntegratedGradients ig = new IntegratedGradients(model);
 * try (Attribution a = ig.attribute(Inputs.of(x), Target.index(0),
 *         IntegratedGradients.Options.builder().nSteps(100).returnConvergenceDelta(true).build())) {
 *     NDArray attributions = a.attribution(0);
 *     NDArray delta = a.convergenceDelta().orElseThrow();
 * }
 * }</pre>
 *
 * <p>Options that change the maths: {@code nSteps} and {@code method} (the quadrature); {@code
 * internalBatchSize} only splits the {@code N·nSteps} evaluations into forward passes of at most
 * that many rows (Captum's rule: {@code max(1, internalBatchSize / N)} steps per pass).
 */
@Value.Enclosing
public final class IntegratedGradients extends GradientAttribution<IntegratedGradients.Options> {

    /**
     * Integrated Gradients of a model, multiplied by inputs (Captum's default).
     *
     * @param forwardFunction the model; must be differentiable
     */
    public IntegratedGradients(ForwardFunction forwardFunction) {
        this(forwardFunction, true);
    }

    /**
     * Integrated Gradients of a model.
     *
     * @param forwardFunction the model; must be differentiable
     * @param multiplyByInputs whether to multiply by {@code inputs - baselines} (Captum's {@code
     *     multiply_by_inputs})
     */
    public IntegratedGradients(ForwardFunction forwardFunction, boolean multiplyByInputs) {
        super(
                completeness("Integrated Gradients", Options.DEFAULTS, multiplyByInputs),
                forwardFunction);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of points of the quadrature, {@code >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} for all
     *     steps in one pass (default)
     * @param returnConvergenceDelta whether to compute the convergence delta (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean returnConvergenceDelta,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.GAUSS_LEGENDRE, null, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of points of the quadrature, {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null} for all
         *     steps in one pass (default)
         * @param returnConvergenceDelta whether to compute the convergence delta (default false)
         * @param progress told after every forward + backward pass (default {@link
         *     ProgressListener#NONE})
         */
        public Options {
            progress = PathOptions.progress(progress);
            PathOptions.check(nSteps, method, internalBatchSize);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends IntegratedGradientsBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        PathRun run = PathRun.of(inputs, target, name(), options, scratch);
        NDList attributions =
                run.integrate(
                        (scaled, args, t, steps) ->
                                Gradients.compute(forwardFunction, scaled, args, t).gradients());
        if (multipliesByInputs()) {
            attributions = multiplyByDifference(attributions, run.inputs(), run.baselines());
        }
        return new Result(
                attributions,
                run.delta(options.returnConvergenceDelta(), forwardFunction, attributions));
    }
}
