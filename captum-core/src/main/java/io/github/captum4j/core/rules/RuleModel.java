package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;

import java.util.List;

/**
 * A model whose forward pass the library can follow module call by module call: what the rule-based
 * backward pass ({@link io.github.captum4j.core.rules.internal.RuleBackward}) needs. Imported Block models ({@link
 * io.github.captum4j.core.model.ImportedModel} and its {@link
 * io.github.captum4j.core.model.ImportedModel#forwardFunction() forward function}) are rule models;
 * a plain TorchScript module or a black box is not.
 */
public interface RuleModel {

    /**
     * Runs the model once, letting an interceptor run every module call (containers and leaves, in
     * execution order; a module that runs twice is offered twice).
     *
     * @param inputs the input tensors
     * @param additionalArgs additional forward arguments, as for {@link ForwardFunction}
     * @param interceptor decides how each call runs
     * @return the model output
     */
    NDArray forwardIntercepted(
            NDList inputs, List<Object> additionalArgs, ModuleInterceptor interceptor);

    /**
     * The rule model behind a forward function.
     *
     * @param forwardFunction the model
     * @param method the method's name, for the message
     * @return the rule model
     * @throws IllegalArgumentException if the library cannot see inside the model
     */
    static RuleModel of(ForwardFunction forwardFunction, String method) {
        if (forwardFunction instanceof RuleModel r) {
            return r;
        }
        throw new IllegalArgumentException(
                "forwardFunction must be a Block model whose modules the library can walk for "
                        + method
                        + " (a rule-based backward pass), got "
                        + (forwardFunction == null
                                ? "null"
                                : forwardFunction.getClass().getSimpleName())
                        + "; import the model as a Block model (export it with tools/ to a weights"
                        + " .npz + architecture .json and load it with ImportedModel.load)");
    }
}
