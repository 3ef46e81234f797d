package io.github.captum4j.attr.neuron;

import static io.github.captum4j.attr.internal.MethodFamilies.replacement;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import org.immutables.value.Value;

import java.util.Arrays;
import java.util.List;

/**
 * Neuron Feature Ablation: each input feature (or group of {@code featureMask}) is replaced by its
 * baseline, one group at a time, and its attribution is the drop of a hidden neuron's value:
 *
 * <p>\( \mathrm{NFA}_e(x) = y_n(x) - y_n(x_{\setminus g(e)}) \)
 *
 * <p>Captum's {@code NeuronFeatureAblation}: {@link FeatureAblation} with the neuron as output
 * (Zeiler and Fergus, 2013, <a href="https://arxiv.org/abs/1311.2901">arXiv:1311.2901</a>). Inputs:
 * tensors {@code (N, ...)} of any type the model takes, {@link io.github.captum4j.core.Baselines}
 * of their shapes (default zeros), {@link Target#none()}. Output: one tensor per input, of its
 * shape. No gradient is taken.
 *
 * <pre>{@code
 * NeuronFeatureAblation nfa = new NeuronFeatureAblation(model, LayerPath.of("fc2"));
 * try (Attribution a = nfa.attribute(Inputs.of(x), NeuronSelector.index(5))) { ... }
 * }</pre>
 */
@Value.Enclosing
public final class NeuronFeatureAblation extends NeuronMethod<NeuronFeatureAblation.Options> {

    /**
     * Feature ablation of a layer's neurons.
     *
     * @param model the model
     * @param layer the layer
     */
    public NeuronFeatureAblation(LayerAccess model, LayerPath layer) {
        super(
                replacement("Neuron Feature Ablation", Options.DEFAULTS).withMultiplyByInputs(true),
                model,
                layer);
    }

    /**
     * How one call runs, with Captum's names and defaults.
     * A copy with one component changed: {@code withX(value)} for every component {@code x}
     * (generated at compile time, Immutables), validated like a new record.
     *
     * @param featureMask per input, feature groups (ids from 0), or {@code null} for one group per
     *     element (default)
     * @param attributeToNeuronInput select the neuron from the layer's input (default false)
     * @param perturbationsPerEval ablations evaluated per forward pass, {@code >= 1} (default 1)
     */
    @Value.Builder
    public record Options(
            List<NDArray> featureMask, boolean attributeToNeuronInput, int perturbationsPerEval)
            implements NeuronFeatureAblationBuilders.WithOptions {

        /** Captum's defaults. */
        public static final Options DEFAULTS = new Options(null, false, 1);

        /**
         * Validates every component.
         *
         * @param featureMask per input, feature groups (ids from 0), or {@code null} for one group
         *     per element (default)
         * @param attributeToNeuronInput select the neuron from the layer's input (default false)
         * @param perturbationsPerEval ablations evaluated per forward pass, {@code >= 1} (default
         *     1)
         */
        public Options {
            featureMask = ablation(featureMask, perturbationsPerEval).featureMask();
        }

        /**
         * These options with another {@code featureMask}.
         *
         * @param masks the masks, one per input, or none for one feature per element
         * @return the new options, validated
         */
        public Options withFeatureMask(NDArray... masks) {
            return withFeatureMask(masks == null ? null : Arrays.asList(masks));
        }
    }

    /** The FeatureAblation options these options run (also their validation). */
    private static FeatureAblation.Options ablation(List<NDArray> mask, int perturbationsPerEval) {
        return FeatureAblation.Options.builder()
                .featureMask(mask == null ? null : mask.toArray(new NDArray[0]))
                .perturbationsPerEval(perturbationsPerEval)
                .build();
    }

    @Override
    Result compute(
            Inputs inputs, NeuronSelector neuron, Target target, Options options, NDManager s) {
        FeatureAblation ablation =
                new FeatureAblation(neuronModel(options.attributeToNeuronInput(), neuron));
        return Result.of(
                ablation.attribute(
                        inputs,
                        Target.none(),
                        ablation(options.featureMask(), options.perturbationsPerEval())));
    }
}
