package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Scope;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SimilarityInfluence (Captum's {@code SimilarityInfluence}): the training examples whose layer
 * activations are most similar to a test example's, per layer, \[ \mathrm{top}_k \; s(h_l(x),
 * h_l(x_j)) \] with \( s \) the cosine similarity (largest first) or the euclidean distance
 * (smallest first) of the flattened activations \( h_l \). The training data is read in batches;
 * each batch's top k is merged into a running top k, so it may stream.
 *
 * <pre>{@code
 * SimilarityInfluence sim = new SimilarityInfluence(model, LayerPath.of("fc1", "fc2"),
 *         trainInputBatches, SimilarityMetric.COSINE);
 * Map<String, TopK> nearest = sim.influence(new NDList(testX), 3); // per layer: (N_test, 3)
 * }</pre>
 */
public final class SimilarityInfluence {

    private final LayerAccess model;
    private final List<LayerPath> layers;
    private final Iterable<NDList> trainInputs;
    private final SimilarityMetric metric;

    /**
     * Creates the method.
     *
     * @param model the model, with tappable layers
     * @param layers the layers whose outputs are compared, at least one
     * @param trainInputs the training inputs in batches
     * @param metric the similarity
     */
    public SimilarityInfluence(
            LayerAccess model,
            List<LayerPath> layers,
            Iterable<NDList> trainInputs,
            SimilarityMetric metric) {
        this.model = Checks.notNull(model, "model");
        this.layers = LayerAccess.checkLayers(layers);
        this.trainInputs = Checks.notNull(trainInputs, "trainInputs");
        this.metric = Checks.notNull(metric, "metric");
    }

    /**
     * The k most similar training examples of each test example, per layer.
     *
     * @param testInputs the test inputs
     * @param k how many, 1 to the number of training examples
     * @return layer name to indices and similarity values {@code (N_test, k)}, in the layers'
     *     order, in the test inputs' manager
     */
    public Map<String, TopK> influence(NDList testInputs, int k) {
        Checks.notNull(testInputs, "testInputs");
        Checks.argument(
                !testInputs.isEmpty(), "testInputs must hold at least one tensor, got none");
        Checks.atLeast(k, 1, "k");
        NDManager caller = testInputs.get(0).getManager();
        try (NDManager scratch = caller.newSubManager()) {
            Scope.borrow(scratch, testInputs);
            NDList test = activations(testInputs);
            NDArray[] bestValues = new NDArray[layers.size()];
            NDArray[] bestIndices = new NDArray[layers.size()];
            long offset = 0;
            int index = 0;
            for (NDList batch : trainInputs) {
                Checks.argument(
                        batch != null && !batch.isEmpty(), "trainInputs: batch %s is empty", index);
                long rows = batch.get(0).getShape().get(0);
                try (NDManager bm = scratch.newSubManager()) {
                    Scope.borrow(bm, batch);
                    NDList train = activations(batch);
                    for (int l = 0; l < layers.size(); l++) {
                        NDArray s = metric.function().apply(test.get(l), train.get(l));
                        int kb = (int) Math.min(k, rows);
                        NDList top = s.topK(kb, 1, metric.largestFirst(), true);
                        NDArray idx = top.get(1).toType(DataType.INT64, false).add(offset);
                        NDArray[] merged = merge(bestValues[l], bestIndices[l], top.get(0), idx, k);
                        merged[0].attach(scratch);
                        merged[1].attach(scratch);
                        bestValues[l] = merged[0];
                        bestIndices[l] = merged[1];
                    }
                }
                offset += rows;
                index++;
            }
            Checks.argument(
                    k <= offset,
                    "k must be between 1 and the number of training examples (%s), got %s",
                    offset,
                    k);
            Map<String, TopK> out = new LinkedHashMap<>();
            for (int l = 0; l < layers.size(); l++) {
                out.put(
                        layers.get(l).name(),
                        new TopK(
                                Scope.handOver(caller, bestIndices[l]),
                                Scope.handOver(caller, bestValues[l])));
            }
            return out;
        }
    }

    private NDArray[] merge(NDArray values, NDArray indices, NDArray v, NDArray i, int k) {
        if (values == null) {
            return new NDArray[] {v, i};
        }
        NDArray allV = NDArrays.concat(new NDList(values, v), 1);
        NDArray allI = NDArrays.concat(new NDList(indices, i), 1);
        int kk = (int) Math.min(k, allV.getShape().get(1));
        NDList top = allV.topK(kk, 1, metric.largestFirst(), true);
        return new NDArray[] {top.get(0), allI.gather(top.get(1).toType(DataType.INT64, false), 1)};
    }

    /** The flattened activations {@code (N, d)} of every layer. */
    private NDList activations(NDList inputs) {
        try (LayerTap tap = model.tap(layers, TapSite.OUTPUT)) {
            NDList values = Gradients.layerValues(tap, inputs, List.of());
            NDList flat = new NDList(values.size());
            for (NDArray v : values) {
                flat.add(v.reshape(v.getShape().get(0), -1));
            }
            return flat;
        }
    }

    /**
     * The layers compared.
     *
     * @return the layers
     */
    public List<LayerPath> layers() {
        return layers;
    }
}
