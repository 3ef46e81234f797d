package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of examples: the model's input tensors and the labels the loss compares the output with
 * (Captum's batch tuple {@code (*inputs, labels)}).
 *
 * <pre>{@code
 * Iterable<Batch> train = Batch.split(x, y, 64); // or any Iterable reading from disk
 * }</pre>
 *
 * @param inputs the model inputs, at least one, batch in dimension 0
 * @param labels one label per example: class indices for cross entropy, targets for MSE
 */
public record Batch(NDList inputs, NDArray labels) {

    /**
     * Checks the arguments.
     *
     * @param inputs the model inputs, at least one, batch in dimension 0
     * @param labels one label per example: class indices for cross entropy, targets for MSE
     */
    public Batch {
        Checks.notNull(inputs, "inputs");
        Checks.notNull(labels, "labels");
        Checks.argument(!inputs.isEmpty(), "inputs must hold at least one tensor, got none");
        long n = inputs.get(0).getShape().get(0);
        for (int i = 0; i < inputs.size(); i++) {
            Checks.argument(
                    inputs.get(i).getShape().dimension() > 0
                            && inputs.get(i).getShape().get(0) == n,
                    "inputs[%s] must have the batch size %s in dimension 0, got shape %s",
                    i,
                    n,
                    inputs.get(i).getShape());
        }
        Checks.argument(
                labels.getShape().dimension() > 0 && labels.getShape().get(0) == n,
                "labels must have one row per example (%s), got shape %s",
                n,
                labels.getShape());
    }

    /**
     * A batch of one input tensor.
     *
     * @param inputs the input
     * @param labels the labels
     * @return the batch
     */
    public static Batch of(NDArray inputs, NDArray labels) {
        Checks.notNull(inputs, "inputs");
        return new Batch(new NDList(inputs), labels);
    }

    /**
     * The number of examples.
     *
     * @return the batch size
     */
    public int size() {
        return Math.toIntExact(labels.getShape().get(0));
    }

    /**
     * Splits in-memory data into consecutive batches (views, in the arrays' manager).
     *
     * @param inputs the input
     * @param labels the labels
     * @param batchSize rows per batch, at least 1 (the last batch may be smaller)
     * @return the batches
     */
    public static List<Batch> split(NDArray inputs, NDArray labels, int batchSize) {
        Batch all = of(inputs, labels);
        Checks.atLeast(batchSize, 1, "batchSize");
        List<Batch> out = new ArrayList<>();
        int n = all.size();
        for (int start = 0; start < n; start += batchSize) {
            String range = start + ":" + Math.min(n, start + batchSize);
            out.add(of(inputs.get(range), labels.get(range)));
        }
        return out;
    }

    /** Row {@code i} as a batch of one. */
    Batch row(int i) {
        NDList rows = new NDList(inputs.size());
        String range = i + ":" + (i + 1);
        for (NDArray x : inputs) {
            rows.add(x.get(range));
        }
        return new Batch(rows, labels.get(range));
    }

    /** The input and label arrays, for borrowing into a per-call manager. */
    List<NDArray> arrays() {
        List<NDArray> out = new ArrayList<>(inputs);
        out.add(labels);
        return out;
    }
}
