package io.github.captum4j.attr;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

/**
 * The frame of the methods that are a gradient under a composite of rules and nothing more
 * (GuidedBackprop, Deconvolution): no options, no baselines, no delta.
 *
 * @param <O> the (empty) options record
 */
abstract class RuleGradientMethod<O extends Record> extends GradientAttribution<O> {

    private final RuleModel model;
    private final Composite composite;

    RuleGradientMethod(
            String name, ForwardFunction forwardFunction, Composite composite, O defaults) {
        super(name, forwardFunction, false, false, false, defaults);
        this.model = RuleModel.of(forwardFunction, name);
        this.composite = composite;
    }

    @Override
    final Result compute(Inputs inputs, Target target, O options, NDManager scratch) {
        return new Result(
                RuleGradients.gradients(
                        model, composite, inputs.tensors(), inputs.additionalArgs(), target),
                null);
    }
}
