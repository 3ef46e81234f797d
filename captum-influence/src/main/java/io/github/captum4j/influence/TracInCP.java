package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.ArrayList;
import java.util.List;

/**
 * TracInCP (Pruthi et al. 2020, "Estimating Training Data Influence by Tracing Gradient Descent",
 * https://arxiv.org/abs/2002.08484): the influence of training example \( z_j \) on test example \(
 * z \) is \[ \mathrm{TracInCP}(z, z_j) = \sum_c \eta_c \, \langle \nabla_\theta \ell(z; \theta_c),
 * \nabla_\theta \ell(z_j; \theta_c) \rangle \] over checkpoints \( \theta_c \) with learning rates
 * \( \eta_c \), \( \theta \) the parameters of the chosen layers (all by default). Self influence
 * is \( \sum_c \eta_c \|\nabla_\theta \ell(z_j; \theta_c)\|^2 \): large for examples the model
 * found hard, such as wrong labels.
 *
 * <p>Per-example gradients: when every chosen layer is a {@code Linear} of an imported model, the
 * weight gradient of example \( i \) is the outer product of the layer's output gradient and its
 * input, both from one batched forward and backward pass, and dot products are taken in factored
 * form; otherwise (TorchScript checkpoints, other layer types) one backward pass per example gives
 * the parameter gradients. Both give the same numbers.
 *
 * <pre>{@code
 * List<Checkpoint> ckpts = List.of(
 *         new Checkpoint(Path.of("c1.json"), 0.3), new Checkpoint(Path.of("c2.json"), 0.2));
 * TracInCP tracin = new TracInCP(ckpts, Batch.split(trainX, trainY, 32),
 *         Loss.crossEntropy(Loss.Reduction.SUM), null); // null: every parameter
 * NDArray scores = tracin.influence(Batch.of(testX, testY));     // (test, train)
 * TopK proponents = tracin.proponents(Batch.of(testX, testY), 3);
 * }</pre>
 */
public final class TracInCP extends TracInCPBase {

    private final List<String> layers;

    /**
     * Creates the method.
     *
     * @param checkpoints the checkpoints with their learning rates, at least one
     * @param trainingData the training batches (iterated once per checkpoint)
     * @param loss the training loss
     * @param layers the layers whose parameters count, or {@code null} for every parameter
     */
    public TracInCP(
            List<Checkpoint> checkpoints,
            Iterable<Batch> trainingData,
            Loss loss,
            List<LayerPath> layers) {
        super(checkpoints, trainingData, loss);
        if (layers == null) {
            this.layers = null;
        } else {
            List<String> names = new ArrayList<>();
            for (LayerPath p : LayerAccess.checkLayers(layers)) {
                names.add(p.name());
            }
            this.layers = List.copyOf(names);
        }
    }

    @Override
    GradientFactors factors(LoadedModel model, Batch batch) {
        List<String> names = layers == null ? model.parameterLayers() : layers;
        NDList parameters = new NDList();
        boolean linear = true;
        for (String name : names) {
            parameters.addAll(model.parametersOf(name));
            linear &= model.isLinear(name);
        }
        return linear
                ? linearFactors(model, batch, names)
                : ExampleGradients.perExample(model, batch, loss, parameters);
    }

    /**
     * Weight gradient = outer(output gradient, input) per example, bias gradient = output gradient.
     */
    private GradientFactors linearFactors(LoadedModel model, Batch batch, List<String> names) {
        List<LayerPath> paths = new ArrayList<>();
        for (String n : names) {
            paths.add(LayerPath.of(n));
        }
        LayerAccess access = model.layers("TracInCP");
        NDList inputs;
        try (LayerTap tap = access.tap(paths, TapSite.INPUT)) {
            inputs = Gradients.layerValues(tap, batch.inputs(), List.of());
        }
        NDList outputGradients = ExampleGradients.layerOutputGradients(access, paths, batch, loss);
        GradientFactors f = new GradientFactors();
        long n = batch.size();
        for (int i = 0; i < names.size(); i++) {
            NDArray a = inputs.get(i);
            NDArray g = outputGradients.get(i);
            if (a.getShape().dimension() == 2) {
                f.outer(g, a);
                if (model.hasBias(names.get(i))) {
                    f.rows(g);
                }
            } else {
                // a sequence of rows per example: the weight gradient sums their outer products
                NDArray a3 = a.reshape(n, -1, a.getShape().get(-1));
                NDArray g3 = g.reshape(n, -1, g.getShape().get(-1));
                f.rows(g3.transpose(0, 2, 1).matMul(a3).reshape(n, -1));
                if (model.hasBias(names.get(i))) {
                    f.rows(g3.sum(new int[] {1}));
                }
            }
        }
        return f;
    }

    /**
     * The chosen layers, or {@code null} for all.
     *
     * @return the layer names
     */
    public List<String> layers() {
        return layers;
    }
}
