package io.github.captum4j.robust;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Targets;

/**
 * The per-example loss an attack follows the gradient of (Captum's {@code loss_func}): a function
 * of the forward function's output and the target returning one value per example, shape {@code
 * (N)}. The attack differentiates the sum of these values, so the loss must not reduce over the
 * batch (a mean would scale every example's gradient by \( 1/N \)); a loss of another shape is
 * rejected, as Captum 0.8.0 rejects a scalar loss.
 *
 * <pre>{@code
 * FGSM fgsm = new FGSM(model, Loss.crossEntropy(), 0, 1);
 * }</pre>
 */
@FunctionalInterface
public interface Loss {

    /**
     * Computes the loss of every example.
     *
     * @param output the forward function's output, batch in dimension 0
     * @param target the target (true labels for an untargeted attack, wanted labels for a targeted
     *     one)
     * @return shape {@code (N)}
     */
    NDArray apply(NDArray output, Target target);

    /**
     * Cross entropy of logits: \( -\log \mathrm{softmax}(o)_t \) per example, PyTorch's {@code
     * nn.CrossEntropyLoss(reduction="none")}.
     *
     * @return the loss
     */
    static Loss crossEntropy() {
        return (output, target) -> Targets.select(output.logSoftmax(1).neg(), target);
    }

    /**
     * Captum's default loss: \( -\log o_t \) of the raw output, meaningful only when the forward
     * function returns probabilities (e.g. a softmax); on logits it is NaN for negative values.
     *
     * @return the loss
     */
    static Loss negativeLog() {
        return (output, target) -> Targets.select(output.log().neg(), target);
    }
}
