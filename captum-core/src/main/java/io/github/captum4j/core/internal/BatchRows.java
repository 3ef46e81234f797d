package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * The check every method that splits, scales or replaces a layer's values row by row needs: the
 * layer must hold the pass's batch on dimension 0. A sequence-first module ({@code
 * nn.MultiheadAttention} with {@code batch_first=False} returns (L, N, E)) otherwise fails inside
 * the engine ("size of tensor a (5) must match the size of tensor b (3)") or, when L divides
 * evenly, is split along the sequence and misread; this names the layer instead. Not API.
 */
public final class BatchRows {

    private BatchRows() {}

    /**
     * Checks that each layer value has {@code rows} rows on dimension 0.
     *
     * @param layers the layers' names, one per value
     * @param values the values (layer outputs or inputs, or changes to them)
     * @param rows the rows of the pass's inputs
     * @param use what the method does with the rows, for the message, e.g. {@code "split"}
     * @throws IllegalArgumentException naming the layer, its shape and the rows expected
     */
    public static void requireBatchFirst(List<?> layers, NDList values, long rows, String use) {
        for (int i = 0; i < values.size(); i++) {
            requireBatchFirst(String.valueOf(layers.get(i)), values.get(i), rows, use);
        }
    }

    /**
     * Checks that one layer value has {@code rows} rows on dimension 0.
     *
     * @param layer the layer's name
     * @param value its value, or a change to it
     * @param rows the rows of the pass's inputs
     * @param use what the method does with the rows, for the message
     * @throws IllegalArgumentException naming the layer, its shape and the rows expected
     */
    public static void requireBatchFirst(String layer, NDArray value, long rows, String use) {
        Shape s = value.getShape();
        if (s.dimension() > 0 && s.get(0) == rows) {
            return;
        }
        throw new IllegalArgumentException(
                "layer '"
                        + layer
                        + "' must hold the batch on dimension 0 to be "
                        + use
                        + " row by row: expected "
                        + rows
                        + " rows on dimension 0 (the rows of this pass), got shape "
                        + s
                        + "; a sequence-first module (e.g. nn.MultiheadAttention with"
                        + " batch_first=False, output (L, N, E)) cannot be attributed to this way:"
                        + " choose a module whose value is batch-first, such as its parent");
    }
}
