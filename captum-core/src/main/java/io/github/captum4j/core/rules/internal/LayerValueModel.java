package io.github.captum4j.core.rules.internal;

import io.github.captum4j.core.rules.ModuleCall;
import io.github.captum4j.core.rules.ModuleInterceptor;
import io.github.captum4j.core.rules.RuleModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Checks;

import java.util.List;
import java.util.function.Function;

/**
 * A {@link RuleModel} whose output is a function of one module's output (or input) value, e.g. one
 * neuron of a hidden layer: what neuron methods (NeuronDeepLift, NeuronGuidedBackprop, ...)
 * differentiate. The whole model still runs; the module itself is intercepted like any other, so
 * rules apply to it and to everything before it.
 *
 * <pre>{@code
 * LayerValueModel neuron = new LayerValueModel(model, "fc2", false, v -> v.get(0).get(":, 3"));
 * new GuidedBackprop(neuron).attribute(Inputs.of(x), Target.none());
 * }</pre>
 */
public final class LayerValueModel implements RuleModel, ForwardFunction {

    private final RuleModel model;
    private final String layer;
    private final boolean layerInput;
    private final Function<NDList, NDArray> head;

    /**
     * The value of one module of a model.
     *
     * @param model the model
     * @param layer the module's dotted name; it must run once per forward pass
     * @param layerInput whether to read the module's input (Captum's {@code
     *     attribute_to_neuron_input}) instead of its output
     * @param head from the value (a one-element list), the output, e.g. a neuron per example
     */
    public LayerValueModel(
            RuleModel model, String layer, boolean layerInput, Function<NDList, NDArray> head) {
        this.model = Checks.notNull(model, "model");
        this.layer = Checks.notNull(layer, "layer");
        this.layerInput = layerInput;
        this.head = Checks.notNull(head, "head");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return forwardIntercepted(inputs, additionalArgs, ModuleCall::proceed);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray forwardIntercepted(
            NDList inputs, List<Object> additionalArgs, ModuleInterceptor interceptor) {
        NDArray[] value = new NDArray[1];
        model.forwardIntercepted(
                inputs,
                additionalArgs,
                call -> {
                    if (!call.name().equals(layer)) {
                        return interceptor.intercept(call);
                    }
                    if (value[0] != null) {
                        throw new AttributionException(
                                "layer '" + layer + "' runs more than once per forward pass");
                    }
                    if (layerInput) {
                        value[0] = call.inputs().get(0);
                        return interceptor.intercept(call);
                    }
                    value[0] = interceptor.intercept(call);
                    return value[0];
                });
        if (value[0] == null) {
            throw new AttributionException("layer '" + layer + "' did not run in the forward pass");
        }
        return head.apply(new NDList(value[0]));
    }
}
