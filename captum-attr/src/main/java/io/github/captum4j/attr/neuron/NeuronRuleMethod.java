package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
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
 * everywhere before the neuron, as in Captum's neuron gradient functions.
 */
abstract class NeuronRuleMethod extends NeuronMethod<NeuronGradient.Options> {

    private final RuleModel rules;

    NeuronRuleMethod(MethodInfo<NeuronGradient.Options> info, LayerAccess model, LayerPath layer) {
        super(info, model, layer);
        this.rules = RuleModel.of(model.forwardFunction(), info.name());
    }

    /**
     * Runs the primary method.
     *
     * @param neuronModel the model whose output is the neuron's value per example
     * @param inputs the inputs
     * @return the primary method's attribution
     */
    abstract Attribution run(ForwardFunction neuronModel, Inputs inputs);

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
        return Result.of(run(value, inputs));
    }
}
