package io.github.captum4j.attr.internal;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;
import io.github.captum4j.core.rules.internal.LrpPass;

import java.util.List;

/**
 * A Block model with the LRP rules it runs under (not API): what LRP and Layer LRP share. One
 * relevance pass from the target down to the inputs, keeping the relevances of the named layers on
 * the way.
 *
 * @param model the Block model
 * @param composite the rules per module
 */
public record LrpModel(RuleModel model, Composite composite) {

    /**
     * Checks the components.
     *
     * @param model the Block model
     * @param composite the rules per module
     */
    public LrpModel {
        Checks.notNull(model, "model");
        Checks.notNull(composite, "composite");
    }

    /**
     * The rules of a method; checks the model first, then the rules.
     *
     * @param forwardFunction the model; must be a {@link RuleModel}
     * @param method the method's name, for errors
     * @param composite the rules per module
     * @return the rules
     * @throws IllegalArgumentException if the model is not a Block model or composite is null
     */
    public static LrpModel of(ForwardFunction forwardFunction, String method, Composite composite) {
        return new LrpModel(RuleModel.of(forwardFunction, method), composite);
    }

    /**
     * One relevance pass.
     *
     * @param inputs the call's inputs
     * @param target the target whose score is propagated
     * @param layers the layers whose relevances are kept (none for the inputs' only)
     * @param toLayerInput keep the relevance of the layers' inputs instead of their outputs
     * @return the relevances
     */
    public LrpPass.Result run(
            Inputs inputs, Target target, List<String> layers, boolean toLayerInput) {
        return LrpPass.run(
                model,
                composite,
                inputs.tensors(),
                inputs.additionalArgs(),
                target,
                layers,
                toLayerInput);
    }
}
