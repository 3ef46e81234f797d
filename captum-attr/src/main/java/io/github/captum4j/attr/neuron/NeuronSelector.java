package io.github.captum4j.attr.neuron;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Which neuron of a layer a neuron method explains, per example (Captum's {@code neuron_selector}):
 *
 * <ul>
 *   <li>{@link #index(int...)}: one neuron, an index into every non-batch dimension of the layer
 *       value, {@code value[:, i, j, k]};
 *   <li>{@link #slices(Dim...)}: the sum of a box of neurons, each dimension an index or a range
 *       ({@code value[:, 2, 0:3].sum()} per example);
 *   <li>{@link #function(Function)}: any function of the layer values returning one value per
 *       example (Captum warns it should only select neurons, not aggregate otherwise).
 * </ul>
 *
 * <pre>{@code
 * NeuronSelector one = NeuronSelector.index(4, 1, 2);
 * NeuronSelector box = NeuronSelector.slices(Dim.at(4), Dim.range(0, 2), Dim.range(0, 2));
 * }</pre>
 */
public sealed interface NeuronSelector {

    /**
     * One neuron.
     *
     * @param indices one index per non-batch dimension of the layer value
     * @return the selector
     */
    static NeuronSelector index(int... indices) {
        return new Index(indices);
    }

    /**
     * The sum of a box of neurons.
     *
     * @param dims per non-batch dimension (a prefix is allowed), an index or a range
     * @return the selector
     */
    static NeuronSelector slices(Dim... dims) {
        return new Slices(Arrays.asList(Checks.notNull(dims, "dims")));
    }

    /**
     * A function of the layer values.
     *
     * @param function from the layer values (one tensor per layer, batch first) to one value per
     *     example, shape {@code (N)}
     * @return the selector
     */
    static NeuronSelector function(Function<NDList, NDArray> function) {
        return new Fn(function);
    }

    /**
     * The selected value per example.
     *
     * @param layerValues the layer values, batch in dimension 0
     * @return shape {@code (N)}
     */
    NDArray select(NDList layerValues);

    /**
     * One dimension of a {@link #slices} selector: an index, or the range {@code [start, stop)}.
     *
     * @param start first index
     * @param stop one past the last index
     * @param single whether this is a single index (the dimension is dropped, as in Python)
     */
    record Dim(int start, int stop, boolean single) {
        /**
         * Validates the range.
         *
         * @param start first index
         * @param stop one past the last index
         * @param single whether this is a single index (the dimension is dropped, as in Python)
         */
        public Dim {
            Checks.argument(
                    start >= 0 && stop > start,
                    "neuron selector range must satisfy 0 <= start < stop, got [%s, %s)",
                    start,
                    stop);
        }

        /**
         * A single index.
         *
         * @param index the index, {@code >= 0}
         * @return the dimension
         */
        public static Dim at(int index) {
            return new Dim(index, index + 1, true);
        }

        /**
         * A range, Python's {@code start:stop}.
         *
         * @param start first index
         * @param stop one past the last index
         * @return the dimension
         */
        public static Dim range(int start, int stop) {
            return new Dim(start, stop, false);
        }
    }

    /**
     * One neuron.
     *
     * @param indices one index per non-batch dimension
     */
    record Index(int[] indices) implements NeuronSelector {
        /**
         * Validates the indices.
         *
         * @param indices one index per non-batch dimension
         */
        public Index {
            Checks.notNull(indices, "neuron indices");
            Checks.argument(indices.length > 0, "neuron index must not be empty");
            for (int i : indices) {
                Checks.argument(i >= 0, "neuron indices must be >= 0, got %s", indices);
            }
            indices = indices.clone();
        }

        @Override
        public int[] indices() {
            return indices.clone();
        }

        @Override
        public NDArray select(NDList layerValues) {
            NDArray v = single(layerValues);
            Shape s = v.getShape();
            Checks.argument(
                    indices.length == s.dimension() - 1,
                    "neuron index %s must give one index per non-batch dimension of the layer"
                            + " value %s",
                    indices,
                    s);
            NDIndex index = new NDIndex().addAllDim();
            for (int d = 0; d < indices.length; d++) {
                Checks.argument(
                        indices[d] < s.get(d + 1),
                        "neuron index %s is out of range for the layer value %s",
                        indices,
                        s);
                index.addIndices(indices[d]);
            }
            return v.get(index);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Index && Arrays.equals(indices, ((Index) o).indices);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(indices);
        }

        @Override
        public String toString() {
            return "NeuronSelector.index" + Arrays.toString(indices);
        }
    }

    /**
     * A box of neurons, summed per example.
     *
     * @param dims per non-batch dimension (a prefix), an index or a range
     */
    record Slices(List<Dim> dims) implements NeuronSelector {
        /**
         * Validates the dimensions.
         *
         * @param dims per non-batch dimension (a prefix), an index or a range
         */
        public Slices {
            Checks.argument(!dims.isEmpty(), "neuron slices must not be empty");
            for (Dim d : dims) {
                Checks.notNull(d, "neuron slices dimension");
            }
            dims = List.copyOf(dims);
        }

        @Override
        public NDArray select(NDList layerValues) {
            NDArray v = single(layerValues);
            Shape s = v.getShape();
            Checks.argument(
                    dims.size() <= s.dimension() - 1,
                    "neuron slices %s has more dimensions than the layer value %s",
                    dims,
                    s);
            NDIndex index = new NDIndex().addAllDim();
            for (int d = 0; d < dims.size(); d++) {
                Dim dim = dims.get(d);
                Checks.argument(
                        dim.stop() <= s.get(d + 1),
                        "neuron slices %s is out of range for the layer value %s",
                        dims,
                        s);
                if (dim.single()) {
                    index.addIndices(dim.start());
                } else {
                    index.addSliceDim(dim.start(), dim.stop());
                }
            }
            return v.get(index).reshape(s.get(0), -1).sum(new int[] {1});
        }
    }

    /**
     * A function of the layer values.
     *
     * @param function from the layer values to one value per example
     */
    record Fn(Function<NDList, NDArray> function) implements NeuronSelector {
        /**
         * Validates the function.
         *
         * @param function from the layer values to one value per example
         */
        public Fn {
            Checks.notNull(function, "neuron selector function");
        }

        @Override
        public NDArray select(NDList layerValues) {
            NDArray out = function.apply(layerValues);
            long n = layerValues.get(0).getShape().get(0);
            Checks.argument(
                    out != null && out.getShape().size() == n,
                    "neuron selector function must return one value per example (%s), got %s",
                    n,
                    out == null ? "null" : out.getShape());
            return out.reshape(n);
        }
    }

    private static NDArray single(NDList layerValues) {
        Checks.argument(
                layerValues.size() == 1,
                "an index or slice neuron selector needs a layer with one value, got %s; use"
                        + " NeuronSelector.function",
                layerValues.size());
        return layerValues.get(0);
    }
}
