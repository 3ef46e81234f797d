package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.ParameterGradients;

import java.util.List;
import java.util.function.BiFunction;

/**
 * The training loss TracIn differentiates: per example \( \ell(f(x_j), y_j) \). Built in: cross
 * entropy on logits and class indices ({@code torch.nn.CrossEntropyLoss}) and squared error summed
 * over the output ({@code torch.nn.MSELoss}); or any per-example function of the output and the
 * labels.
 *
 * <p>The reduction is the one the loss was declared with in Captum. Influence needs per-example
 * gradients, and Captum undoes a {@code "mean"} reduction (multiplies by the batch size), so every
 * reduction gives the same scores; it is kept for parity and reported by {@link #reduction()}.
 *
 * <pre>{@code
 * Loss ce = Loss.crossEntropy(Loss.Reduction.SUM);
 * Loss hinge = Loss.of((out, y) -> out.mul(-1).add(1).maximum(0).sum(new int[] {1}));
 * }</pre>
 */
public final class Loss {

    /** How a loss reduces its per-example values (Captum's {@code reduction}). */
    public enum Reduction {
        /** one value per example */
        NONE,
        /** the sum over the batch */
        SUM,
        /** the mean over the batch */
        MEAN
    }

    private enum Kind {
        CROSS_ENTROPY,
        MSE,
        CUSTOM
    }

    private final Kind kind;
    private final Reduction reduction;
    private final BiFunction<NDArray, NDArray, NDArray> perExample;

    private Loss(Kind kind, Reduction reduction, BiFunction<NDArray, NDArray, NDArray> perExample) {
        this.kind = kind;
        this.reduction = Checks.notNull(reduction, "reduction");
        this.perExample = perExample;
    }

    /**
     * Cross entropy of logits {@code (N, C)} and class indices {@code (N)}: \( -\log
     * \mathrm{softmax}(z)_y \).
     *
     * @param reduction the declared reduction
     * @return the loss
     */
    public static Loss crossEntropy(Reduction reduction) {
        return new Loss(Kind.CROSS_ENTROPY, reduction, null);
    }

    /**
     * Squared error summed over the output, per example: \( \sum_k (z_k - y_k)^2 \).
     *
     * @param reduction the declared reduction
     * @return the loss
     */
    public static Loss mse(Reduction reduction) {
        return new Loss(Kind.MSE, reduction, null);
    }

    /**
     * A user loss: per-example values {@code (N)} from the output and the labels. It must be
     * differentiable in the output with libtorch's autograd (use NDArray operations).
     *
     * @param perExample the loss per example
     * @return the loss (reduction {@link Reduction#NONE})
     */
    public static Loss of(BiFunction<NDArray, NDArray, NDArray> perExample) {
        return new Loss(Kind.CUSTOM, Reduction.NONE, Checks.notNull(perExample, "perExample"));
    }

    /**
     * The declared reduction.
     *
     * @return the reduction
     */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss per example.
     *
     * @param output the model output, batch first
     * @param labels the labels
     * @return shape {@code (N)}
     */
    public NDArray perExample(NDArray output, NDArray labels) {
        switch (kind) {
            case CROSS_ENTROPY:
                checkClasses(output, labels);
                return output.logSoftmax(1).mul(oneHot(output, labels)).sum(new int[] {1}).neg();
            case MSE:
                return output.sub(targets(output, labels))
                        .square()
                        .reshape(output.getShape().get(0), -1)
                        .sum(new int[] {1});
            default:
                NDArray v = perExample.apply(output, labels);
                Checks.argument(
                        v != null
                                && v.getShape()
                                        .equals(
                                                new ai.djl.ndarray.types.Shape(
                                                        output.getShape().get(0))),
                        "perExample must return one loss per example, shape (%s), got %s",
                        output.getShape().get(0),
                        v == null ? null : v.getShape());
                return v;
        }
    }

    /**
     * \( J = \partial \ell / \partial z \) per example: {@code softmax(z) - onehot(y)} for cross
     * entropy, {@code 2 (z - y)} for MSE, autograd for a user loss.
     *
     * @param output the model output, batch first (not part of a graph)
     * @param labels the labels
     * @return the gradient, of the output's shape
     */
    NDArray outputGradient(NDArray output, NDArray labels) {
        switch (kind) {
            case CROSS_ENTROPY:
                checkClasses(output, labels);
                return output.softmax(1).sub(oneHot(output, labels));
            case MSE:
                return output.sub(targets(output, labels)).mul(2);
            default:
                NDArray leaf = output.stopGradient();
                return ParameterGradients.compute(
                                (in, args) -> in.get(0),
                                new NDList(leaf),
                                List.of(),
                                z -> perExample(z, labels),
                                new NDList(leaf))
                        .get(0);
        }
    }

    private static NDArray oneHot(NDArray output, NDArray labels) {
        return labels.toType(DataType.INT64, false)
                .oneHot((int) output.getShape().get(1))
                .toType(output.getDataType(), false);
    }

    private static NDArray targets(NDArray output, NDArray labels) {
        Checks.argument(
                labels.size() == output.size(),
                "labels must match the output for MSE: %s values, got shape %s",
                output.getShape(),
                labels.getShape());
        return labels.toType(output.getDataType(), false).reshape(output.getShape());
    }

    private static void checkClasses(NDArray output, NDArray labels) {
        Checks.argument(
                output.getShape().dimension() == 2,
                "output must be (N, classes) logits for cross entropy, got shape %s",
                output.getShape());
        Checks.argument(
                labels.getShape().dimension() == 1 && !labels.getDataType().isFloating(),
                "labels must be (N) class indices for cross entropy, got %s %s",
                labels.getDataType(),
                labels.getShape());
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + reduction + ")";
    }
}
