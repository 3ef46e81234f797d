package io.github.captum4j.insights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A batch of examples to browse (Captum's {@code Batch}): one tensor per feature (dimension 0 =
 * examples), their true labels and additional forward arguments.
 *
 * <pre>{@code
 * Batch batch = Batch.of(images, labels);
 * }</pre>
 *
 * <p>The arrays stay the caller's: Insights reads them on each request and never closes them.
 *
 * @param inputs one tensor per feature, all with the same dimension 0
 * @param labels the true class index per example, shape {@code (N)}, or {@code null} if unknown
 * @param additionalArgs additional forward arguments (NDArrays with dimension 0 = examples, or
 *     numbers and booleans), never {@code null}
 */
public record Batch(NDList inputs, NDArray labels, List<Object> additionalArgs) {

    /**
     * Validates the components.
     *
     * @param inputs one tensor per feature, all with the same dimension 0
     * @param labels the true class index per example, shape {@code (N)}, or {@code null} if unknown
     * @param additionalArgs additional forward arguments (NDArrays with dimension 0 = examples, or
     *     numbers and booleans), never {@code null}
     */
    public Batch {
        Inputs checked = Inputs.of(Checks.notNull(inputs, "inputs"));
        Checks.notNull(additionalArgs, "additionalArgs");
        checked.withAdditionalArgs(additionalArgs); // same rules as attribution calls
        if (labels != null) {
            Checks.argument(
                    labels.getShape().dimension() == 1
                            && labels.getShape().get(0) == checked.batchSize(),
                    "labels must have shape (%s), one per example, got %s",
                    checked.batchSize(),
                    labels);
        }
        inputs = new NDList(inputs);
        additionalArgs = Collections.unmodifiableList(new ArrayList<>(additionalArgs));
    }

    /**
     * A batch of one input tensor.
     *
     * @param inputs the examples, dimension 0 = examples
     * @param labels the true labels, or {@code null}
     * @return the batch
     */
    public static Batch of(NDArray inputs, NDArray labels) {
        return new Batch(new NDList(inputs), labels, List.of());
    }

    /**
     * A batch of several input tensors, one per feature.
     *
     * @param inputs the tensors
     * @param labels the true labels, or {@code null}
     * @return the batch
     */
    public static Batch of(NDList inputs, NDArray labels) {
        return new Batch(inputs, labels, List.of());
    }

    /**
     * The input tensors, one per feature.
     *
     * @return a new list over the caller's arrays
     */
    @Override
    public NDList inputs() {
        return new NDList(inputs);
    }

    /**
     * Number of examples.
     *
     * @return dimension 0 of the inputs
     */
    public int size() {
        return Math.toIntExact(inputs.get(0).getShape().get(0));
    }
}
