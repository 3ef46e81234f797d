package io.github.captum4j.core.internal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerTap;

import java.util.List;
import java.util.function.Function;

/**
 * Gradients with respect to the tensors a model reads rather than its inputs: the training-side
 * derivative that influence methods (TracIn) need. The pass itself (grad mode, forward, finiteness
 * of the objective) is {@link Gradients}'; this class owns switching the parameters' {@code
 * requires_grad} on for one pass and clearing what the pass left on them.
 *
 * <p>Not API: may change without notice.
 */
public final class ParameterGradients {

    private ParameterGradients() {}

    /**
     * Gradients of a scalar objective of the model output with respect to tensors the forward pass
     * reads, typically the model's parameters: {@code d sum(objective(f(inputs))) / d p} for each
     * {@code p}. The parameters are made to require gradients for this pass only and their stored
     * gradients are cleared afterwards, so passes never accumulate; the model must not run in
     * another thread meanwhile. A parameter the objective does not depend on gets zeros. When
     * {@code f} runs through a {@link LayerTap}, the tap's gradient leaves hold their gradients too.
     * A TorchScript module must be unfrozen first ({@code block().freezeParameters(false)} on a
     * private instance): its script executor ignores a flag set on the parameter handles alone.
     *
     * @param f the model
     * @param inputs the inputs, batch in dimension 0
     * @param args additional forward arguments
     * @param objective maps the model output to the values to differentiate (summed), e.g. the
     *     per-example loss
     * @param parameters the tensors to differentiate with respect to (may be empty)
     * @return one gradient per parameter, of its shape, in the manager of the first input
     */
    public static NDList compute(
            ForwardFunction f,
            NDList inputs,
            List<Object> args,
            Function<NDArray, NDArray> objective,
            NDList parameters) {
        return Gradients.withGradMode(
                true,
                () -> {
                    boolean[] required = new boolean[parameters.size()];
                    for (int i = 0; i < required.length; i++) {
                        NDArray p = parameters.get(i);
                        required[i] = p.hasGradient(); // libtorch's requires_grad
                        p.setRequiresGradient(true);
                    }
                    try {
                        NDArray values = objective.apply(Gradients.run(f, inputs, args));
                        NDArray total = values.sum();
                        Gradients.checkFinite(total, values);
                        Torch.backward(total, total.onesLike(), false);
                        NDList grads = new NDList(parameters.size());
                        for (NDArray p : parameters) {
                            NDArray g = Gradients.gradientOf(p);
                            // a copy in the caller's manager: the parameter's own gradient is cleared
                            NDArray copy = g.duplicate();
                            copy.attach(inputs.get(0).getManager());
                            g.close();
                            grads.add(copy);
                        }
                        return grads;
                    } finally {
                        for (int i = 0; i < required.length; i++) {
                            NDArray p = parameters.get(i);
                            try {
                                Torch.zeroGrad(p);
                            } catch (EngineException e) {
                                // no gradient was stored: nothing to clear
                            }
                            p.setRequiresGradient(required[i]);
                        }
                    }
                });
    }
}
