package io.github.captum4j.attr.neuron;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.LayerValueModel;
import io.github.captum4j.core.rules.RuleModel;

/**
 * The frame of the rule-based neuron methods: the primary method (DeepLift, GuidedBackprop, ...)
 * run on the neuron's value as the model output ({@link LayerValueModel}), so the rules apply
 * everywhere before the neuron, as in Captum's neuron gradient functions.
 */
abstract class NeuronRuleMethod extends NeuronMethod<NeuronGradient.Options> {

    private final RuleModel rules;

    NeuronRuleMethod(
            String name,
            LayerAccess model,
            LayerPath layer,
            boolean multiplyByInputs,
            boolean usesBaselines) {
        super(name, model, layer, multiplyByInputs, usesBaselines, NeuronGradient.Options.DEFAULTS);
        this.rules = RuleModel.of(model.forwardFunction(), name);
    }

    /**
     * Runs the primary method.
     *
     * @param neuronModel the model whose output is the neuron's value per example
     * @param inputs the inputs
     * @return the primary method's attribution
     */
    abstract Attribution run(ForwardFunction neuronModel, Inputs inputs);

    /**
     * {@inheritDoc}
     *
     * <p>Options: {@code attributeToNeuronInput} selects the neuron in the layer's input.
     */
    @Override
    public final Attribution attribute(
            Inputs inputs, NeuronSelector neuron, Target target, NeuronGradient.Options options) {
        Checks.notNull(neuron, "neuron");
        Checks.notNull(options, "options");
        NeuronMethods.requireNoTarget(target, name());
        LayerValueModel value =
                new LayerValueModel(
                        rules, layer().name(), options.attributeToNeuronInput(), neuron::select);
        return NeuronMethods.renamed(run(value, inputs), name(), options);
    }
}
