package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * TracInCPFast (Pruthi et al. 2020, https://arxiv.org/abs/2002.08484, section 3.2): TracInCP
 * restricted to the weight (not the bias) of the final fully connected layer, whose per-example
 * gradient is the outer product \( J a^T \) of \( J = \partial \ell / \partial z \) (the loss
 * gradient with respect to the model output) and the layer's input \( a \). Hence, from one forward
 * pass per batch and no backward pass for the built-in losses, \[ \mathrm{TracInCPFast}(z, z_j) =
 * \sum_c \eta_c \, (J_c(z) \cdot J_c(z_j)) \, (a_c(z) \cdot a_c(z_j)), \qquad \mathrm{self}(z_j) =
 * \sum_c \eta_c \|J_c(z_j)\|^2 \|a_c(z_j)\|^2 . \] The final layer's output must be the model
 * output. Checkpoints must expose their layers (an imported model, or TorchScript exported with
 * taps).
 *
 * <pre>{@code
 * TracInCPFast fast = new TracInCPFast(checkpoints, Batch.split(trainX, trainY, 256),
 *         Loss.crossEntropy(Loss.Reduction.SUM), LayerPath.of("fc2"));
 * NDArray self = fast.selfInfluence(); // rank training rows: the largest are suspicious labels
 * }</pre>
 */
public class TracInCPFast extends TracInCPBase {

    final LayerPath finalFcLayer;

    /**
     * Creates the method.
     *
     * @param checkpoints the checkpoints with their learning rates, at least one
     * @param trainingData the training batches (iterated once per checkpoint)
     * @param loss the training loss
     * @param finalFcLayer the final fully connected layer (its output is the model output)
     */
    public TracInCPFast(
            List<Checkpoint> checkpoints,
            Iterable<Batch> trainingData,
            Loss loss,
            LayerPath finalFcLayer) {
        super(checkpoints, trainingData, loss);
        this.finalFcLayer = Checks.notNull(finalFcLayer, "finalFcLayer");
    }

    /**
     * The final fully connected layer.
     *
     * @return the layer
     */
    public LayerPath finalFcLayer() {
        return finalFcLayer;
    }

    @Override
    GradientFactors factors(LoadedModel model, Batch batch) {
        NDArray[] ja = jacobianAndInput(model, batch, getClass().getSimpleName());
        return new GradientFactors().outer(ja[0], ja[1]);
    }

    /** {@code J} {@code (N, out)} and the final layer's input {@code (N, in)} of a batch. */
    NDArray[] jacobianAndInput(LoadedModel model, Batch batch, String method) {
        try (LayerTap tap = model.layers(method).tap(List.of(finalFcLayer), TapSite.INPUT)) {
            NDArray out =
                    Gradients.withGradMode(false, () -> tap.forward(batch.inputs(), List.of()));
            NDArray a = tap.values().get(0);
            long n = batch.size();
            Checks.argument(
                    a.getShape().dimension() == 2,
                    "finalFcLayer: the input of '%s' must be (N, features) for %s, got shape %s",
                    finalFcLayer,
                    method,
                    a.getShape());
            NDArray j = loss.outputGradient(out, batch.labels()).reshape(n, -1);
            return new NDArray[] {j, a};
        }
    }
}
