package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Randomness;

/**
 * GradientShap's draws, made so that a pass over any range of draws sees the same numbers: under the
 * call's seed, the baseline row of every draw (per input) and its path point \( \alpha \) are drawn
 * at once and kept in Java ({@code N·nSamples} indices and floats); the Gaussian noise of draw
 * {@code s} (all examples) is drawn only when its pass needs it, under a seed derived from one base
 * draw and {@code s} (a generator of its own, {@link Randomness#draw}). So {@code internalBatchSize} changes neither the numbers nor, beyond those
 * small arrays, the memory of a call as {@code nSamples} grows. Rows of a pass over draws {@code
 * [first, first + c)} are example-major (repeat-interleave), as GradientShap lays out all draws.
 */
record GradientShapDraws(
        NDList x,
        NDList distribution,
        double[] stdevs,
        int samples,
        long[][] rows,
        float[] alphas,
        long noiseBase) {

    /**
     * Draws the baseline rows, path points and the noise base of a call.
     *
     * @param in the call's inputs (their baselines are the distribution)
     * @param seed the seed, or {@code null}
     * @param samples draws per example
     * @param stdevs noise per input
     * @param scratch the call's manager
     * @return the draws
     */
    static GradientShapDraws draw(
            Inputs in, Integer seed, int samples, double[] stdevs, NDManager scratch) {
        NDList x = in.tensors();
        NDList distribution = BaselineExpansion.distribution(in.baselines(), x, scratch);
        long total = (long) in.batchSize() * samples;
        return Randomness.draw(
                seed,
                () -> {
                    try (NDManager m = scratch.newSubManager()) {
                        long[][] rows = new long[x.size()][];
                        for (int i = 0; i < x.size(); i++) {
                            long available = distribution.get(i).getShape().get(0);
                            rows[i] =
                                    Randomness.integers(m, 0, available, new Shape(total))
                                            .toLongArray();
                        }
                        float[] alphas =
                                Randomness.uniform(m, 0f, 1f, new Shape(total), DataType.FLOAT32)
                                        .toFloatArray();
                        long base = Randomness.javaGenerator(m).nextLong();
                        return new GradientShapDraws(
                                x, distribution, stdevs, samples, rows, alphas, base);
                    }
                });
    }

    /**
     * The noisy inputs of draws {@code first .. first + copies - 1}.
     *
     * @param first the first draw
     * @param copies number of draws
     * @param m the pass's manager
     * @return per input, {@code (N·copies, ...)}
     */
    NDList noisy(int first, int copies, NDManager m) {
        NDList out = new NDList(x.size());
        NDList[] noise = new NDList[copies];
        for (int j = 0; j < copies; j++) {
            noise[j] = noiseOf(first + j, m);
        }
        for (int i = 0; i < x.size(); i++) {
            NDArray xi = x.get(i);
            NDArray repeated = Expansion.expand(xi, copies, Expansion.Layout.REPEAT_INTERLEAVE);
            if (stdevs[i] == 0) {
                out.add(repeated);
                continue;
            }
            NDList blocks = new NDList(copies);
            for (NDList n : noise) {
                blocks.add(n.get(i));
            }
            Shape rest = xi.getShape().slice(1);
            NDArray stacked =
                    ai.djl.ndarray.NDArrays.stack(blocks, 1)
                            .reshape(new Shape(xi.getShape().get(0) * copies).addAll(rest));
            out.add(stacked.add(repeated));
        }
        return out;
    }

    /**
     * The drawn baseline rows of draws {@code first .. first + copies - 1}.
     *
     * @param first the first draw
     * @param copies number of draws
     * @param m the pass's manager
     * @return per input, {@code (N·copies, ...)}
     */
    NDList baselines(int first, int copies, NDManager m) {
        NDList out = new NDList(x.size());
        for (int i = 0; i < x.size(); i++) {
            long[] picked = new long[(int) (x.get(i).getShape().get(0) * copies)];
            int k = 0;
            for (int n = 0; k < picked.length; n++) {
                for (int j = 0; j < copies; j++) {
                    picked[k++] = rows[i][n * samples + first + j];
                }
            }
            NDArray d = distribution.get(i);
            out.add(d.get(new NDIndex("{}", m.create(picked))));
        }
        return out;
    }

    /**
     * The path points of draws {@code first .. first + copies - 1}.
     *
     * @param first the first draw
     * @param copies number of draws
     * @param m the pass's manager
     * @return {@code (N·copies)}
     */
    NDArray alphas(int first, int copies, NDManager m) {
        int batch = alphas.length / samples;
        float[] picked = new float[batch * copies];
        for (int n = 0; n < batch; n++) {
            System.arraycopy(alphas, n * samples + first, picked, n * copies, copies);
        }
        return m.create(picked);
    }

    /** The noise of draw {@code s} for every example, per input (empty entries for stdev 0). */
    private NDList noiseOf(int s, NDManager m) {
        boolean any = false;
        for (double sd : stdevs) {
            any |= sd != 0;
        }
        if (!any) {
            return new NDList();
        }
        long mixed = (noiseBase + s * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        int seed = (int) ((mixed ^ (mixed >>> 31)) & Integer.MAX_VALUE);
        return Randomness.draw(
                seed,
                () -> {
                    NDList out = new NDList(x.size());
                    for (int i = 0; i < x.size(); i++) {
                        NDArray xi = x.get(i);
                        out.add(
                                stdevs[i] == 0
                                        ? null
                                        : Randomness.normal(
                                                        m, 0f, (float) stdevs[i], xi.getShape(), xi.getDataType()));
                    }
                    return out;
                });
    }
}
