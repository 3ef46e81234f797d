package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.attr.internal.PathRun;

import org.immutables.value.Value;

/**
 * Internal Influence: the gradient of the target with respect to a layer's value, integrated along
 * the straight path from the baseline to the input:
 *
 * <p>\( \mathrm{II}(x) = \int_0^1 \frac{\partial F}{\partial a_\ell}\big(x' + \alpha (x -
 * x')\big)\, d\alpha \approx \sum_k w_k\, \frac{\partial F}{\partial a_\ell}\big(x' + \alpha_k (x -
 * x')\big) \)
 *
 * <p>Leino, Sen, Datta, Fredrikson and Li, "Influence-Directed Explanations for Deep Convolutional
 * Networks", 2018, <a href="https://arxiv.org/abs/1802.03788">arXiv:1802.03788</a>. Inputs:
 * floating-point tensors {@code (N, ...)} with {@link io.github.captum4j.core.Baselines} of their
 * shapes (default zeros). Output: one tensor of the layer value's shape.
 *
 * <pre>{@code
 * InternalInfluence ii = new InternalInfluence(model, LayerPath.of("linear1"));
 * try (Attribution a = ii.attribute(Inputs.of(x), Target.index(1),
 *         InternalInfluence.Options.builder().nSteps(30).build())) { ... }
 * }</pre>
 *
 * <p>{@code nSteps} and {@code method} set the quadrature; {@code internalBatchSize} only splits
 * the evaluations into passes.
 */
@Value.Enclosing
public final class InternalInfluence extends LayerMethod<InternalInfluence.Options> {

    /**
     * Internal influence of one layer.
     *
     * @param model the model
     * @param layer the layer
     */
    public InternalInfluence(LayerAccess model, LayerPath layer) {
        super(
                MethodInfo.gradient("Internal Influence", Options.DEFAULTS).withBaselines(),
                model,
                java.util.List.of(layer));
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of quadrature points, {@code >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} (default)
     * @param attributeToLayerInput attribute to the layer's input (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean attributeToLayerInput,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.GAUSS_LEGENDRE, null, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of quadrature points, {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null}
         *     (default)
         * @param attributeToLayerInput attribute to the layer's input (default false)
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
        public static final class Builder extends InternalInfluenceBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        PathRun run = PathRun.of(inputs, target, name(), options, scratch);
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            NDList attributions =
                    run.integrate(
                            (scaled, args, t, steps) ->
                                    atLayersByRow(tap, scaled, args, t).layerGradients());
            return new Result(attributions, null);
        }
    }
}
