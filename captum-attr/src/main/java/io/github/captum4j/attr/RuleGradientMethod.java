package io.github.captum4j.attr;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame.Result;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.RuleModel;

/**
 * The base of the methods that are a gradient under a composite of rules and nothing more
 * (GuidedBackprop, Deconvolution): no options, no baselines, no delta.
 *
 * @param <O> the (empty) options record
 */
abstract class RuleGradientMethod<O extends Record> extends GradientAttribution<O> {

    private final RuleModel model;
    private final Composite composite;

    RuleGradientMethod(
            String name, ForwardFunction forwardFunction, Composite composite, O defaults) {
        super(MethodInfo.gradient(name, defaults), forwardFunction);
        this.model = RuleModel.of(forwardFunction, name);
        this.composite = composite;
    }

    @Override
    final Result compute(Inputs inputs, Target target, O options, NDManager scratch) {
        return Result.of(
                RuleGradients.gradients(
                        model, composite, inputs.tensors(), inputs.additionalArgs(), target));
    }
}
