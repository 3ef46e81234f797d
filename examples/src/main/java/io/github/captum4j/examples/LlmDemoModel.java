package io.github.captum4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import java.util.List;

/**
 * The {@code llm} demo's causal LM, trained with DJL: token embedding {@code wte}, causal mean
 * over the prefix (position t sees tokens 0..t), a ReLU MLP, next-token logits {@code (B, T, V)}.
 * A bag-of-embeddings LM is enough for the demo's language (the answer depends on which key token
 * occurs, not where). Exposes {@code wte} as a tapped layer for the gradient methods.
 */
final class LlmDemoModel implements ForwardFunction, LayerAccess, AutoCloseable {

    static final LayerPath WTE = LayerPath.of("wte");

    private final NDManager manager;
    private final int vocab;
    private final NDArray wte;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    LlmDemoModel(int vocab, int dim, int hidden, long seed) {
        this.manager = NDManager.newBaseManager();
        this.vocab = vocab;
        Engine.getInstance().setRandomSeed((int) seed);
        wte = manager.randomNormal(0, 1, new Shape(vocab, dim), DataType.FLOAT32);
        w1 = manager.randomNormal(0, (float) Math.sqrt(2.0 / dim), new Shape(dim, hidden), DataType.FLOAT32);
        b1 = manager.zeros(new Shape(hidden));
        w2 = manager.randomNormal(0, (float) Math.sqrt(1.0 / hidden), new Shape(hidden, vocab), DataType.FLOAT32);
        b2 = manager.zeros(new Shape(vocab));
    }

    private NDArray[] params() {
        return new NDArray[] {wte, w1, b1, w2, b2};
    }

    /** Embedding of ids (B, T) -> (B, T, d), in the ids' manager. */
    private NDArray embed(NDArray ids) {
        return ids.oneHot(vocab).toType(DataType.FLOAT32, false).matMul(wte);
    }

    private NDArray head(NDArray e) {
        long t = e.getShape().get(1);
        NDArray counts = e.getManager().arange(1f, t + 1f).reshape(1, t, 1);
        NDArray mean = e.cumSum(1).div(counts);
        return mean.matMul(w1).add(b1).maximum(0f).matMul(w2).add(b2);
    }

    @Override
    public NDArray forward(NDList inputs, List<Object> additionalArgs) {
        return head(embed(inputs.get(0)));
    }

    /**
     * Trains on (prompt, answer) pairs: cross-entropy of the answer at the last position, Adam;
     * stops early once the loss is below {@code 0.05} (so the logits keep a moderate scale).
     *
     * @param batches a source of (ids (B, T) int64, answers (B) int64) batches
     * @param steps optimisation steps
     * @param lr the learning rate
     * @return the loss of the last step
     */
    float train(java.util.function.Function<NDManager, NDList> batches, int steps, float lr) {
        NDArray[] p = params();
        NDArray[] m = new NDArray[p.length];
        NDArray[] v = new NDArray[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = p[i].zerosLike();
            v[i] = p[i].zerosLike();
            p[i].setRequiresGradient(true);
        }
        float last = Float.NaN;
        for (int step = 1; step <= steps; step++) {
            try (NDManager scratch = manager.newSubManager()) {
                NDList batch = batches.apply(scratch);
                NDArray ids = batch.get(0);
                NDArray answers = batch.get(1);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = forward(new NDList(ids), List.of());
                    long t = logits.getShape().get(1);
                    NDArray lastLogits = logits.get(":, {}, :", t - 1).logSoftmax(1);
                    NDArray picked = lastLogits.mul(answers.oneHot(vocab).toType(DataType.FLOAT32, false)).sum(new int[] {1});
                    NDArray loss = picked.mean().neg();
                    gc.backward(loss);
                    last = loss.getFloat();
                }
                if (last < 0.05f) {
                    break;
                }
                double c1 = 1 - Math.pow(0.9, step);
                double c2 = 1 - Math.pow(0.999, step);
                for (int i = 0; i < p.length; i++) {
                    NDArray g = p[i].getGradient();
                    m[i].muli(0.9f).addi(g.mul(0.1f));
                    v[i].muli(0.999f).addi(g.square().mul(0.001f));
                    NDArray update = m[i].div(c1).div(v[i].div(c2).sqrt().add(1e-8f)).mul(lr);
                    p[i].subi(update);
                }
            }
        }
        for (NDArray x : p) {
            x.setRequiresGradient(false);
        }
        return last;
    }

    @Override
    public List<String> layerNames() {
        return List.of(WTE.name());
    }


    @Override
    public LayerTap tap(List<LayerPath> layers, TapSite site) {
        if (!layers.equals(List.of(WTE)) || site != TapSite.OUTPUT) {
            throw new IllegalArgumentException("layers must be [wte] (output), got " + layers + " " + site);
        }
        return new EmbeddingTap();
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The tap on wte's output: shift or replace it, record it, and add a zero leaf for its gradient. */
    private final class EmbeddingTap implements LayerTap {
        private NDList deltas;
        private NDList replacements;
        private NDArray value;
        private NDArray leaf;

        @Override
        public List<LayerPath> layers() {
            return List.of(WTE);
        }

        @Override
        public TapSite site() {
            return TapSite.OUTPUT;
        }

        @Override
        public NDArray forward(NDList inputs, List<Object> additionalArgs) {
            NDArray ids = inputs.get(0);
            NDArray e = replacements != null ? replacements.get(0) : embed(ids);
            if (deltas != null && deltas.get(0) != null) {
                e = e.add(deltas.get(0));
            }
            leaf = null;
            if (io.github.captum4j.core.internal.Torch.gradMode()) {
                leaf = ids.getManager().zeros(e.getShape());
                leaf.setRequiresGradient(true);
                e = e.add(leaf);
            }
            value = e;
            return head(e);
        }

        @Override
        public void addToValues(NDList d) {
            deltas = d;
            replacements = null;
        }

        @Override
        public void replaceValues(NDList values) {
            replacements = values;
            deltas = null;
        }

        @Override
        public NDList values() {
            return new NDList(value);
        }

        @Override
        public NDList gradientLeaves() {
            if (leaf == null) {
                throw new IllegalStateException("gradientLeaves: the last forward pass did not record gradients");
            }
            return new NDList(leaf);
        }

        @Override
        public void close() {
            value = null;
            leaf = null;
        }
    }
}
