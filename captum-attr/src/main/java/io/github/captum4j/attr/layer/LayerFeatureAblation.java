package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.layerPerturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import org.immutables.value.Value;

/**
 * Layer Feature Ablation: each neuron (or group of neurons of {@code layerMask}) of a layer is
 * replaced by its layer baseline, one group at a time, the rest of the model runs on the input, and
 * the neuron's attribution is the drop of the target:
 *
 * <p>\( \mathrm{LFA}_j(x) = F(x) - F\big(x;\ a_{\ell, g(j)} \leftarrow b_{g(j)}\big) \)
 *
 * <p>Captum's {@code LayerFeatureAblation}, built on {@link FeatureAblation} over the layer's
 * values (Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", 2013, <a
 * href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>). Inputs: tensors {@code (N, ...)} of
 * any type the model takes; the {@link io.github.captum4j.core.Baselines} of the call are the
 * <em>layer</em> baselines (Captum's {@code layer_baselines}: of the layer value's shape, batch 1,
 * or numbers; default zeros). Output: one tensor of the layer value's shape. No gradient is taken.
 *
 * <pre>{@code
 * LayerFeatureAblation lfa = new LayerFeatureAblation(model, LayerPath.of("fc1"));
 * try (Attribution a = lfa.attribute(Inputs.of(x), Target.index(0))) { ... }
 * }</pre>
 *
 * <p>{@code layerMask} groups the layer's neurons (ids from 0, broadcastable to the layer value);
 * {@code perturbationsPerEval} only batches the evaluations.
 */
@Value.Enclosing
public final class LayerFeatureAblation extends LayerMethod<LayerFeatureAblation.Options> {

    /**
     * Feature ablation of one layer.
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerFeatureAblation(LayerAccess model, LayerPath layer) {
        super(
                layerPerturbation("Layer Feature Ablation", Options.DEFAULTS).withBaselines(),
                model,
                layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     * A copy with one component changed: {@code withX(value)} for every component {@code x}
     * (generated at compile time, Immutables), validated like a new record.
     *
     * @param layerMask groups of the layer's neurons, or {@code null} for one group per neuron
     *     (default)
     * @param attributeToLayerInput ablate the layer's input instead of its output (default false)
     * @param perturbationsPerEval ablations evaluated per forward pass, {@code >= 1} (default 1)
     */
    @Value.Builder
    public record Options(
            NDArray layerMask, boolean attributeToLayerInput, int perturbationsPerEval)
            implements LayerFeatureAblationBuilders.WithOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, false, 1);

        /**
         * Validates every component.
         *
         * @param layerMask groups of the layer's neurons, or {@code null} for one group per neuron
         *     (default)
         * @param attributeToLayerInput ablate the layer's input instead of its output (default
         *     false)
         * @param perturbationsPerEval ablations evaluated per forward pass, {@code >= 1} (default
         *     1)
         */
        public Options {
            // FeatureAblation runs the ablations: its options check these with its messages
            ablation(layerMask, perturbationsPerEval);
        }
    }

    private static FeatureAblation.Options ablation(NDArray mask, int perturbationsPerEval) {
        return FeatureAblation.Options.builder()
                .featureMask(mask == null ? null : new NDArray[] {mask})
                .perturbationsPerEval(perturbationsPerEval)
                .build();
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        FeatureAblation.Options o = ablation(options.layerMask(), options.perturbationsPerEval());
        try (LayerTap tap = tap(options.attributeToLayerInput())) {
            return new Result(
                    LayerPerturbation.attribute(
                            tap,
                            inputs,
                            (replaced, layerInputs) ->
                                    new FeatureAblation(replaced)
                                            .attribute(layerInputs, target, o)),
                    null);
        }
    }
}
