package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.Gradients;

import java.util.List;

/**
 * Teacher-forced scoring and greedy generation on a causal LM {@code ids (B, T) -> logits (B, T,
 * V)}. All target tokens of a prompt are scored by ONE forward over {@code prompt + t_1..t_{K-1}}:
 * causality makes the logits at position {@code |p| - 1 + k} those of Captum's k-th incremental
 * forward. Prompts of different lengths share a batch right-padded (later positions cannot change
 * earlier logits), at most {@code batchSize} rows per forward.
 *
 * <p>Not API.
 */
final class CausalLMScorer {

    static final long PAD = 0;

    private final ForwardFunction model;
    private final int batchSize;

    CausalLMScorer(ForwardFunction model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    /**
     * The log-probabilities of the target after each prompt.
     *
     * @param prompts prompt ids
     * @param target target ids, at least one
     * @param manager where temporaries live (closed sub-managers per batch)
     * @return {@code [prompt][k]} = {@code log p(t_k | prompt, t_<k)}
     */
    float[][] logProbs(List<long[]> prompts, long[] target, NDManager manager) {
        float[][] out = new float[prompts.size()][];
        for (int first = 0; first < prompts.size(); first += batchSize) {
            int count = Math.min(batchSize, prompts.size() - first);
            try (NDManager batch = manager.newSubManager()) {
                score(prompts.subList(first, first + count), target, batch, out, first);
            }
        }
        return out;
    }

    private void score(
            List<long[]> prompts, long[] target, NDManager m, float[][] out, int offset) {
        int k = target.length;
        int width = 0;
        for (long[] p : prompts) {
            width = Math.max(width, p.length + k - 1);
        }
        int rows = prompts.size();
        long[] ids = new long[rows * width];
        java.util.Arrays.fill(ids, PAD);
        for (int r = 0; r < rows; r++) {
            long[] p = prompts.get(r);
            System.arraycopy(p, 0, ids, r * width, p.length);
            System.arraycopy(target, 0, ids, r * width + p.length, k - 1);
        }
        NDArray logits = run(m.create(ids, new Shape(rows, width)));
        long length = logits.getShape().get(1);
        int vocab = (int) logits.getShape().get(2);
        for (long id : target) {
            checkId(id, vocab);
        }
        // Only the K scored positions of each row are gathered (before the log-softmax, which is
        // per position), their log-softmax taken on the engine and the K target entries of each row
        // gathered there too: one copy of rows x K floats leaves the engine, however large V is.
        int first = prompts.get(0).length - 1;
        boolean aligned = true;
        for (long[] p : prompts) {
            aligned &= p.length - 1 == first;
        }
        NDArray picked;
        if (aligned) {
            picked = logits.get(new NDIndex(":, {}:{}", first, first + k));
        } else {
            long[] at = new long[rows * k];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    at[r * k + j] = r * length + prompts.get(r).length - 1 + j;
                }
            }
            picked = logits.reshape(rows * length, vocab).get(m.create(at)).reshape(rows, k, vocab);
        }
        long[] tokens = new long[rows * k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(target, 0, tokens, r * k, k);
        }
        NDArray index = m.create(tokens, new Shape(rows, k, 1));
        float[] values = picked.logSoftmax(2).gather(index, 2).toFloatArray();
        for (int r = 0; r < rows; r++) {
            out[offset + r] = java.util.Arrays.copyOfRange(values, r * k, (r + 1) * k);
        }
    }

    /**
     * Greedy generation: the argmax token (first maximal id on ties) appended {@code maxNewTokens}
     * times, no stop token (Captum's {@code generate(do_sample=False)} on the fixtures' model).
     *
     * @param prompt the prompt ids
     * @param maxNewTokens tokens to generate
     * @param manager where temporaries live
     * @return the generated ids
     */
    long[] generate(long[] prompt, int maxNewTokens, NDManager manager) {
        long[] ids = java.util.Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        for (int step = 0; step < maxNewTokens; step++) {
            int len = prompt.length + step;
            try (NDManager m = manager.newSubManager()) {
                NDArray logits =
                        run(m.create(java.util.Arrays.copyOf(ids, len), new Shape(1, len)));
                float[] last = logits.get(0, len - 1).toFloatArray();
                int best = 0;
                for (int v = 1; v < last.length; v++) {
                    if (last[v] > last[best]) {
                        best = v;
                    }
                }
                ids[len] = best;
            }
        }
        return java.util.Arrays.copyOfRange(ids, prompt.length, ids.length);
    }

    private NDArray run(NDArray ids) {
        NDArray logits = Gradients.forward(model, new NDList(ids), List.of());
        Shape s = logits.getShape();
        if (s.dimension() != 3 || s.get(0) != ids.getShape().get(0) || s.get(1) < ids.getShape().get(1)) {
            throw new AttributionException(
                    "the model must map token ids (B, T) to logits (B, T, V), got "
                            + s
                            + " for ids "
                            + ids.getShape());
        }
        return logits.toType(DataType.FLOAT32, false);
    }

    /** Target ids lie in {@code [0, vocab)}, else IllegalArgumentException. */
    static void checkId(long id, long vocab) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException(
                    "target token ids must lie in [0, " + vocab + "), got " + id);
        }
    }
}
