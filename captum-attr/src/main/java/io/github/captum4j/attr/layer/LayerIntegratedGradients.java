package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.completeness;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.PathOptions;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.attr.internal.PathRun;

import org.immutables.value.Value;

import java.util.List;

/**
 * Layer Integrated Gradients: Integrated Gradients in the space of a layer's values — the layer's
 * value is moved along the straight line from its value at the baseline to its value at the input
 * (the rest of the model running on the input), and the target's gradient with respect to it is
 * integrated:
 *
 * <p>\( \mathrm{LIG}(x) = \big(a_\ell(x) - a_\ell(x')\big) \sum_k w_k\, \frac{\partial F}{\partial
 * a_\ell}\Big|_{a_\ell = a_\ell(x') + \alpha_k (a_\ell(x) - a_\ell(x'))} \)
 *
 * <p>Summed over the layer it approximates \( F(x) - F(x') \) (the convergence delta is the gap).
 * The input may be integer (token ids): attributing to an {@code Embedding} layer is the usual way
 * to explain text models. Several layers may be given; each is replaced by its own path point in
 * the same forward pass, as Captum does. Sundararajan, Taly and Yan, "Axiomatic Attribution for
 * Deep Networks", 2017, <a href="https://arxiv.org/abs/1703.01365">arXiv:1703.01365</a>.
 *
 * <p>Inputs: tensors {@code (N, ...)} of any type the model takes, {@link
 * io.github.captum4j.core.Baselines} of their shapes (default zeros, e.g. token id 0). Output: one
 * tensor per layer, of the layer value's shape; the delta has shape {@code (N)}. With {@code
 * multiplyByInputs = false} the factor \( a_\ell(x) - a_\ell(x') \) is left out.
 *
 * <pre>{@code
 * LayerIntegratedGradients lig = new LayerIntegratedGradients(model, LayerPath.of("emb"));
 * Inputs in = Inputs.of(tokenIds).withBaselines(Baselines.tensors(padIds));
 * try (Attribution a = lig.attribute(in, Target.index(1))) {
 *     NDArray perToken = a.attribution(0).sum(new int[] {2}); // (N, T)
 * }
 * }</pre>
 */
@Value.Enclosing
public final class LayerIntegratedGradients extends LayerMethod<LayerIntegratedGradients.Options> {

    /**
     * Layer Integrated Gradients of one layer, multiplied by the layer difference (Captum's
     * default).
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerIntegratedGradients(LayerAccess model, LayerPath layer) {
        this(model, List.of(layer), true);
    }

    /**
     * Layer Integrated Gradients of several layers.
     *
     * @param model the model
     * @param layers the layers; the result has one attribution per layer, in order
     * @param multiplyByInputs whether to multiply by {@code a(x) - a(x')} (Captum's {@code
     *     multiply_by_inputs})
     */
    public LayerIntegratedGradients(
            LayerAccess model, List<LayerPath> layers, boolean multiplyByInputs) {
        super(
                completeness("Layer Integrated Gradients", Options.DEFAULTS, multiplyByInputs)
                        .withIntegerInputs(),
                model,
                layers);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param nSteps number of quadrature points, {@code >= 1} (default 50)
     * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
     * @param internalBatchSize at most this many rows per forward pass, or {@code null} (default)
     * @param returnConvergenceDelta whether to compute the convergence delta (default false)
     * @param attributeToLayerInput attribute to the layer's input (default false)
     * @param progress told after every forward + backward pass (default {@link
     *     ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            int nSteps,
            ApproximationMethod method,
            Integer internalBatchSize,
            boolean returnConvergenceDelta,
            boolean attributeToLayerInput,
            ProgressListener progress)
            implements PathOptions.Group {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(50, ApproximationMethod.GAUSS_LEGENDRE, null, false, false, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param nSteps number of quadrature points, {@code >= 1} (default 50)
         * @param method the quadrature (default {@link ApproximationMethod#GAUSS_LEGENDRE})
         * @param internalBatchSize at most this many rows per forward pass, or {@code null}
         *     (default)
         * @param returnConvergenceDelta whether to compute the convergence delta (default false)
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
        public static final class Builder extends LayerIntegratedGradientsBuilders.OptionsBuilder
                implements PathOptions.Builder<Builder> {
            Builder() {}
        }
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        PathRun run = PathRun.of(inputs, target, name(), options, scratch);
        NDList x = run.inputs();
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            Ends layer = valuesAtEnds(tap, run.baselines(), x, inputs.additionalArgs());
            // the path in the layer's space: each step replaces the layer's value
            NDList attributions =
                    run.integrate(
                            layer.atEnds(),
                            layer.atStarts(),
                            (scaled, args, t, steps) -> {
                                tap.replaceValues(scaled);
                                NDList tiled = Expansion.expand(x, steps, Expansion.Layout.TILE);
                                return Gradients.computeAtLayers(tap, tiled, args, t, null)
                                        .layerGradients();
                            });
            if (multipliesByInputs()) {
                attributions = times(attributions, layer.change());
            }
            return new Result(
                    attributions,
                    run.delta(options.returnConvergenceDelta(), forwardFunction, attributions));
        }
    }
}
