package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Sizes;
import io.github.captum4j.core.internal.Randomness;

import java.util.List;

/**
 * The sampling shared by NoiseTunnel and GradientShap: noisy copies of a batch, baselines drawn
 * from a distribution, and the reduction over each example's copies. Callers hold {@link
 * io.github.captum4j.core.internal.Randomness#draw} around the draws.
 */
final class NoiseSampling {

    private NoiseSampling() {}

    /**
     * Validates {@code stdevs}: one value for every input, or one per input.
     *
     * @param stdevs the option
     * @param inputs number of inputs
     * @return one standard deviation per input
     */
    static double[] perInput(List<Double> stdevs, int inputs) {
        Checks.argument(
                stdevs.size() == 1 || stdevs.size() == inputs,
                "stdevs must hold one value or one per input (%s), got %s",
                inputs,
                stdevs.size());
        double[] out = new double[inputs];
        for (int i = 0; i < inputs; i++) {
            out[i] = stdevs.get(stdevs.size() == 1 ? 0 : i);
        }
        return out;
    }

    /**
     * Checks a stdevs option at construction of an options record.
     *
     * @param stdevs the option
     * @return an immutable copy
     */
    static List<Double> checkStdevs(List<Double> stdevs) {
        Checks.notNull(stdevs, "stdevs");
        Checks.argument(!stdevs.isEmpty(), "stdevs must hold at least one value, got none");
        for (Double s : stdevs) {
            Checks.argument(
                    s != null && s >= 0 && Double.isFinite(s),
                    "stdevs must be finite and >= 0, got %s",
                    stdevs);
        }
        return List.copyOf(stdevs);
    }

    /**
     * Each example repeated {@code copies} times (repeat-interleave) plus Gaussian noise \(
     * \mathcal{N}(0, \sigma_i^2) \), drawn input by input as Captum's NoiseTunnel does ({@code
     * torch.normal(0, stdev)} = standard normal draws times stdev).
     *
     * @param inputs the inputs {@code (N, ...)}
     * @param stdevs one standard deviation per input
     * @param copies samples per example
     * @param manager where the noise goes
     * @return noisy inputs {@code (N·copies, ...)}
     */
    static NDList noisy(NDList inputs, double[] stdevs, int copies, NDManager manager) {
        checkCopies(inputs, copies);
        NDList out = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            NDArray x = inputs.get(i);
            Shape shape = new Shape(x.getShape().get(0) * copies).addAll(x.getShape().slice(1));
            NDArray noise = Randomness.normal(manager, shape, x.getDataType()).mul(stdevs[i]);
            out.add(noise.add(Expansion.expand(x, copies, Expansion.Layout.REPEAT_INTERLEAVE)));
        }
        return out;
    }

    /**
     * Checks up front that {@code copies} noisy copies of every input (with the noise and the
     * repeated inputs alongside, three tensors of that size) fit the machine's memory.
     *
     * @param inputs the inputs {@code (N, ...)}
     * @param copies copies per example ({@code nSamples})
     * @throws IllegalArgumentException naming {@code nSamples} and the estimate otherwise
     */
    static void checkCopies(NDList inputs, int copies) {
        long values = 0;
        for (NDArray x : inputs) {
            values = Math.addExact(values, Sizes.product("nSamples", x.size(), copies, 3));
        }
        Sizes.nativeMemory("nSamples (" + copies + ")", values, Float.BYTES);
    }

    /**
     * Draws {@code count} rows of each input's reference samples, uniformly with replacement.
     *
     * @param samples per input, {@code (S, ...)}
     * @param count rows to draw
     * @param manager where the indices go
     * @return per input, {@code (count, ...)}
     */
    static NDList drawRows(NDList samples, long count, NDManager manager) {
        NDList out = new NDList(samples.size());
        for (NDArray s : samples) {
            long rows = s.getShape().get(0);
            NDArray idx = Randomness.integers(manager, 0, rows, new Shape(count));
            out.add(s.get(new NDIndex("{}", idx)));
        }
        return out;
    }

    /**
     * Sums each example's copies: {@code (N·copies, ...)} to {@code (N, ...)}.
     *
     * @param a the per-copy values, repeat-interleaved
     * @param copies copies per example
     * @return the sums
     */
    static NDArray sumOverCopies(NDArray a, int copies) {
        Shape shape = a.getShape();
        long n = shape.get(0) / copies;
        Shape grouped = new Shape(n, copies).addAll(shape.slice(1));
        return a.reshape(grouped).sum(new int[] {1});
    }
}
