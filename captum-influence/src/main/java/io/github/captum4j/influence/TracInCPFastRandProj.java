package io.github.captum4j.influence;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;

/**
 * TracInCPFastRandProj (Pruthi et al. 2020, https://arxiv.org/abs/2002.08484, page 15):
 * TracInCPFast on random projections of the final layer's per-example weight gradient. With \( P_1
 * \in \mathbb{R}^{out \times d_1} \), \( P_2 \in \mathbb{R}^{in \times d_2} \) drawn once from \(
 * \mathcal{N}(0, 1/d_1) \), \( \mathcal{N}(0, 1/d_2) \), \( d_k = \min(\lfloor
 * \sqrt{\mathrm{projectionDim}} \rfloor, \text{dim}) \), each example is represented per checkpoint
 * by \( \mathrm{flatten}((J P_1)(a P_2)^T) \), and \[ \mathrm{score}(z, z_j) = \sum_c \eta_c \,
 * (J_c P_1 \cdot J_{c,j} P_1)(a_c P_2 \cdot a_{c,j} P_2), \] an unbiased estimate of TracInCPFast
 * (\( E[P P^T] = I \)). Without a projection dimension, or when {@code out * in <= projectionDim},
 * nothing is projected and the scores are TracInCPFast's. Nearest neighbours (proponents,
 * opponents) are found exactly, by all dot products.
 *
 * <pre>{@code
 * TracInCPFastRandProj proj = new TracInCPFastRandProj(checkpoints, train,
 *         Loss.crossEntropy(Loss.Reduction.SUM), LayerPath.of("fc2"), 64, 0);
 * TopK top = proj.proponents(Batch.of(testX, testY), 5);
 * }</pre>
 */
public final class TracInCPFastRandProj extends TracInCPFast {

    private final Integer projectionDim;
    private final int seed;
    private float[][] projections; // P1 (out x d1), P2 (in x d2), row-major; drawn on first use
    private long[] projectionShapes;

    /**
     * Creates the method.
     *
     * @param checkpoints the checkpoints with their learning rates, at least one
     * @param trainingData the training batches (iterated once per checkpoint)
     * @param loss the training loss
     * @param finalFcLayer the final fully connected layer (its output is the model output)
     * @param projectionDim the largest dimension of a projected gradient per checkpoint, at least
     *     1, or {@code null} for no projection (Captum's default)
     * @param seed seeds the projection draws ({@code torch.manual_seed}; Captum's default is 0)
     */
    public TracInCPFastRandProj(
            List<Checkpoint> checkpoints,
            Iterable<Batch> trainingData,
            Loss loss,
            LayerPath finalFcLayer,
            Integer projectionDim,
            int seed) {
        super(checkpoints, trainingData, loss, finalFcLayer);
        if (projectionDim != null) {
            Checks.atLeast(projectionDim, 1, "projectionDim");
        }
        this.projectionDim = projectionDim;
        this.seed = seed;
    }

    /**
     * The projection dimension, or {@code null} for none.
     *
     * @return the dimension
     */
    public Integer projectionDim() {
        return projectionDim;
    }

    @Override
    GradientFactors factors(LoadedModel model, Batch batch) {
        NDArray[] ja = jacobianAndInput(model, batch, "TracInCPFastRandProj");
        NDArray j = ja[0];
        NDArray a = ja[1];
        long jd = j.getShape().get(1);
        long ad = a.getShape().get(1);
        if (projectionDim == null || jd * ad <= projectionDim) {
            return new GradientFactors().outer(j, a);
        }
        NDManager m = j.getManager();
        float[][] p = projections(jd, ad, m);
        NDArray p1 = m.create(p[0], new Shape(jd, projectionShapes[0]));
        NDArray p2 = m.create(p[1], new Shape(ad, projectionShapes[1]));
        return new GradientFactors().outer(j.matMul(p1), a.matMul(p2));
    }

    /** Draws P1 then P2 once, as Captum does after {@code torch.manual_seed(seed)}. */
    private synchronized float[][] projections(long jd, long ad, NDManager m) {
        if (projections == null) {
            int root = (int) Math.sqrt(projectionDim);
            long d1 = Math.min(root, jd);
            long d2 = Math.min(root, ad);
            projections =
                    Randomness.draw(
                            seed,
                            () ->
                                    new float[][] {
                                        Randomness.normal(
                                                        m,
                                                        0f,
                                                        (float) (1 / Math.sqrt(d1)),
                                                        new Shape(jd, d1),
                                                        ai.djl.ndarray.types.DataType.FLOAT32)
                                                .toFloatArray(),
                                        Randomness.normal(
                                                        m,
                                                        0f,
                                                        (float) (1 / Math.sqrt(d2)),
                                                        new Shape(ad, d2),
                                                        ai.djl.ndarray.types.DataType.FLOAT32)
                                                .toFloatArray()
                                    });
            projectionShapes = new long[] {d1, d2};
        }
        Checks.argument(
                projections[0].length == jd * projectionShapes[0]
                        && projections[1].length == ad * projectionShapes[1],
                "checkpoints must share the final layer's shape, got output %s and input %s after"
                        + " %s and %s",
                jd,
                ad,
                projections[0].length / projectionShapes[0],
                projections[1].length / projectionShapes[1]);
        return projections;
    }
}
