package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.Deconvolution;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.DeepLiftShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.internal.MethodFamilies;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.internal.LayerValueModel;
import io.github.captum4j.core.rules.RuleModel;

/**
 * The base of the rule-based neuron methods: the primary method (DeepLift, GuidedBackprop, ...) run
 * on the neuron's value as the model output ({@link LayerValueModel}), so the rules apply
 * everywhere before the neuron, as in Captum's neuron gradient functions. A subclass names its
 * {@link Primary} and nothing else.
 */
abstract class NeuronRuleMethod extends NeuronMethod<NeuronGradient.Options> {

    /** The primary methods a neuron rule method runs, with what the neuron method is. */
    enum Primary {
        /** {@link DeepLift} with Captum's {@code eps}: multiplies by inputs, reads baselines. */
        DEEP_LIFT("Neuron DeepLift", true) {
            @Override
            AttributionMethod<?> on(ForwardFunction neuronModel, boolean multiplyByInputs) {
                return new DeepLift(neuronModel, multiplyByInputs, DeepLift.DEFAULT_EPS);
            }
        },
        /** {@link DeepLiftShap} with Captum's {@code eps}: baselines are a distribution. */
        DEEP_LIFT_SHAP("Neuron DeepLiftShap", true) {
            @Override
            AttributionMethod<?> on(ForwardFunction neuronModel, boolean multiplyByInputs) {
                return new DeepLiftShap(neuronModel, multiplyByInputs, DeepLift.DEFAULT_EPS, true);
            }
        },
        /** {@link GuidedBackprop}: no baselines, nothing multiplied. */
        GUIDED_BACKPROP("Neuron Guided Backprop", false) {
            @Override
            AttributionMethod<?> on(ForwardFunction neuronModel, boolean multiplyByInputs) {
                return new GuidedBackprop(neuronModel);
            }
        },
        /** {@link Deconvolution}: no baselines, nothing multiplied. */
        DECONVOLUTION("Neuron Deconvolution", false) {
            @Override
            AttributionMethod<?> on(ForwardFunction neuronModel, boolean multiplyByInputs) {
                return new Deconvolution(neuronModel);
            }
        };

        private final String neuronName;
        private final boolean usesBaselines;

        Primary(String neuronName, boolean usesBaselines) {
            this.neuronName = neuronName;
            this.usesBaselines = usesBaselines;
        }

        /**
         * The primary method on the neuron's value.
         *
         * @param neuronModel the model whose output is the neuron's value per example
         * @param multiplyByInputs the neuron method's {@code multiply_by_inputs}
         * @return the method
         */
        abstract AttributionMethod<?> on(ForwardFunction neuronModel, boolean multiplyByInputs);

        /** What the neuron method is: a gradient method named after its primary. */
        MethodInfo<NeuronGradient.Options> info(boolean multiplyByInputs) {
            NeuronGradient.Options defaults = NeuronGradient.Options.DEFAULTS;
            return usesBaselines
                    ? MethodFamilies.fromBaselines(neuronName, defaults, multiplyByInputs)
                    : MethodInfo.gradient(neuronName, defaults);
        }
    }

    private final RuleModel rules;
    private final Primary primary;

    /**
     * A neuron method running {@code primary}.
     *
     * @param primary the primary method
     * @param model the model; must be a Block model
     * @param layer the layer
     * @param multiplyByInputs Captum's {@code multiply_by_inputs} (only for primaries that
     *     multiply)
     */
    NeuronRuleMethod(
            Primary primary, LayerAccess model, LayerPath layer, boolean multiplyByInputs) {
        super(primary.info(multiplyByInputs), model, layer);
        this.rules = RuleModel.of(model.forwardFunction(), primary.neuronName);
        this.primary = primary;
    }

    /** Options: {@code attributeToNeuronInput} selects the neuron in the layer's input. */
    @Override
    final Result compute(
            Inputs inputs,
            NeuronSelector neuron,
            Target target,
            NeuronGradient.Options options,
            NDManager scratch) {
        LayerValueModel value =
                new LayerValueModel(
                        rules, layer().name(), options.attributeToNeuronInput(), neuron::select);
        return Result.of(primary.on(value, multipliesByInputs()).attribute(inputs, Target.none()));
    }
}
