package io.github.captum4j.core.rules;

import ai.djl.ndarray.NDArray;

/**
 * Decides how each module call of one forward pass of a {@link RuleModel} runs. It is handed to
 * {@link RuleModel#forwardIntercepted} for that pass only: nothing is installed on the model, so
 * other threads may run the same model at the same time.
 */
@FunctionalInterface
public interface ModuleInterceptor {

    /**
     * Runs one module call, usually through {@link ModuleCall#proceed}.
     *
     * @param call the call
     * @return the value the model continues with, of the module output's shape
     */
    NDArray intercept(ModuleCall call);
}
