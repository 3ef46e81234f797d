package io.github.captum4j.attr.layer;

import static io.github.captum4j.attr.internal.MethodFamilies.layerPerturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.FeaturePermutation;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;

import org.immutables.value.Value;

/**
 * Layer Feature Permutation: each neuron (or group of neurons of {@code layerMask}) of a layer is
 * shuffled across the batch, one group at a time, the rest of the model runs on the input, and the
 * neuron's attribution is the change of the target:
 *
 * <p>\( \mathrm{LFP}_j(x)_n = F(x)_n - F\big(x;\ a_{\ell, g(j)} \leftarrow a^{\pi}_{\ell,
 * g(j)}\big)_n \), where \( a^{\pi}_{\ell, g} \) takes the layer values of group \( g \) from
 * example \( \pi(n) \) for a uniformly drawn non-identity permutation \( \pi \) of the batch (one
 * draw per group).
 *
 * <p>Captum 0.8's {@code LayerFeaturePermutation}, built on {@link FeaturePermutation} over the
 * layer's output values as {@link LayerFeatureAblation} is on feature ablation (Fisher, Rudin and
 * Dominici, "All Models are Wrong, but Many are Useful", 2018, <a
 * href="https://arxiv.org/abs/1801.01489">arXiv:1801.01489</a>). Unlike Captum 0.8, which selects
 * the target twice and fails (layer_feature_permutation.py:206), a target is taken as for every
 * other method. Inputs: tensors {@code (N, ...)} with {@code N >= 2} of any type the model takes;
 * no baselines. Output: one tensor of the layer value's shape. No gradient is taken.
 *
 * <pre>{@code
 * LayerFeaturePermutation lfp = new LayerFeaturePermutation(model, LayerPath.of("fc1"));
 * try (Attribution a = lfp.attribute(Inputs.of(batch), Target.index(0),
 *         LayerFeaturePermutation.Options.DEFAULTS.withSeed(0))) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class LayerFeaturePermutation extends LayerMethod<LayerFeaturePermutation.Options> {

    /**
     * Feature permutation of one layer's output.
     *
     * @param model the model
     * @param layer the layer
     */
    public LayerFeaturePermutation(LayerAccess model, LayerPath layer) {
        super(layerPerturbation("Layer Feature Permutation", Options.DEFAULTS), model, layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     * A copy with one component changed: {@code withX(value)} for every component {@code x}
     * (generated at compile time, Immutables), validated like a new record.
     *
     * @param layerMask groups of the layer's neurons (ids from 0, dimension 0 of size 1,
     *     broadcastable to the layer value), or {@code null} for one group per neuron (default)
     * @param perturbationsPerEval permuted groups per forward pass, {@code >= 1} (default 1); only
     *     batches the evaluations
     * @param seed libtorch seed for the permutations, or {@code null} (default)
     */
    @Value.Builder
    public record Options(NDArray layerMask, int perturbationsPerEval, Integer seed)
            implements LayerFeaturePermutationBuilders.WithOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, 1, null);

        /**
         * Validates every component.
         *
         * @param layerMask groups of the layer's neurons (ids from 0, dimension 0 of size 1,
         *     broadcastable to the layer value), or {@code null} for one group per neuron (default)
         * @param perturbationsPerEval permuted groups per forward pass, {@code >= 1} (default 1);
         *     only batches the evaluations
         * @param seed libtorch seed for the permutations, or {@code null} (default)
         */
        public Options {
            // FeaturePermutation runs the permutations: its options check these with its messages
            permutation(layerMask, perturbationsPerEval, seed);
        }
    }

    private static FeaturePermutation.Options permutation(
            NDArray mask, int perturbationsPerEval, Integer seed) {
        FeaturePermutation.Options.Builder b =
                FeaturePermutation.Options.builder()
                        .perturbationsPerEval(perturbationsPerEval)
                        .seed(seed);
        return (mask == null ? b : b.featureMask(mask)).build();
    }

    @Override
    Result compute(Inputs inputs, Target target, Options options, NDManager scratch) {
        FeaturePermutation.Options o =
                permutation(options.layerMask(), options.perturbationsPerEval(), options.seed());
        try (LayerTap tap = tap(false)) {
            return new Result(
                    LayerPerturbation.attribute(
                            tap,
                            inputs,
                            (replaced, layerInputs) ->
                                    new FeaturePermutation(replaced)
                                            .attribute(layerInputs, target, o)),
                    null);
        }
    }
}
