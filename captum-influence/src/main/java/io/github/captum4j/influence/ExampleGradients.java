package io.github.captum4j.influence;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.ParameterGradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.ArrayList;
import java.util.List;

/** Per-example loss gradients through the library's one autograd entry point. Not API. */
final class ExampleGradients {

    private ExampleGradients() {}

    /**
     * d(loss)/d(layer output) for each example and layer, from one batched forward and backward
     * pass (examples do not interact in an eval-mode model, so row i is example i's gradient).
     */
    static NDList layerOutputGradients(
            LayerAccess access, List<LayerPath> layers, Batch batch, Loss loss) {
        try (LayerTap tap = access.tap(layers, TapSite.OUTPUT)) {
            ParameterGradients.compute(
                    tap::forward,
                    batch.inputs(),
                    List.of(),
                    out -> loss.perExample(out, batch.labels()),
                    new NDList());
            NDList values = tap.values();
            NDList leaves = tap.gradientLeaves();
            NDList out = new NDList(leaves.size());
            for (int i = 0; i < leaves.size(); i++) {
                out.add(gradientOrZeros(leaves.get(i), values.get(i)));
            }
            return out;
        }
    }

    /** Flattened parameter gradients of each example: one backward pass per example. */
    static GradientFactors perExample(
            LoadedModel model, Batch batch, Loss loss, NDList parameters) {
        List<NDArray> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Batch row = batch.row(i);
            NDList grads =
                    ParameterGradients.compute(
                            model.forward(),
                            row.inputs(),
                            List.of(),
                            out -> loss.perExample(out, row.labels()),
                            parameters);
            NDList flat = new NDList(grads.size());
            for (NDArray g : grads) {
                flat.add(g.reshape(1, -1));
            }
            rows.add(flat.size() == 1 ? flat.get(0) : NDArrays.concat(flat, 1));
        }
        return new GradientFactors()
                .rows(rows.size() == 1 ? rows.get(0) : NDArrays.concat(new NDList(rows), 0));
    }

    private static NDArray gradientOrZeros(NDArray leaf, NDArray value) {
        try {
            NDArray g = leaf.getGradient();
            return g == null ? value.zerosLike() : g;
        } catch (EngineException | IllegalStateException e) {
            return value.zerosLike(); // the loss does not depend on this layer
        }
    }
}
