package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.Sizes;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Kernel SHAP: Lime with the weighting, sampling and surrogate that make its coefficients estimate
 * Shapley values: a weighted linear regression (no penalty) over coalitions drawn with the Shapley
 * kernel,
 *
 * <p>\( \pi(z) = \frac{F - 1}{\binom{F}{|z|}\, |z|\, (F - |z|)} \),
 *
 * <p>realised as in Captum by drawing the coalition size \( k \) with probability \( \propto (F -
 * 1) / (k (F - k)) \), then a uniformly random coalition of that size, all with weight 1; the empty
 * and the full coalition come first with weight \( 10^6 \) (standing for infinity, so that the fit
 * satisfies \( \sum_f \beta_f \approx F(x) - F(x') \)). Converges to the exact Shapley values as
 * {@code nSamples} grows; exact for a linear model once the samples determine the fit.
 *
 * <p>Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", 2017, <a
 * href="https://arxiv.org/abs/1705.07874">arXiv:1705.07874</a>; Captum's {@code KernelShap}.
 *
 * <p>Inputs, options and outputs as {@link Lime} (its {@link Lime.Options}: Captum's {@code
 * KernelShap.attribute} takes Lime's arguments).
 *
 * <pre>{@code
 * KernelShap ks = new KernelShap(ForwardFunction.blackBox(model));
 * try (Attribution a = ks.attribute(Inputs.of(x).withBaselines(Baselines.tensors(reference)),
 *         Target.index(1), Lime.Options.builder().nSamples(200).perturbationsPerEval(200).build())) {
 *     ...
 * }
 * }</pre>
 */
public final class KernelShap implements AttributionMethod<Lime.Options> {

    private final Lime lime;

    /**
     * Kernel SHAP of a model.
     *
     * @param forwardFunction the model, any function (a black box too)
     */
    public KernelShap(ForwardFunction forwardFunction) {
        this.lime =
                new Lime(
                        "Kernel Shap",
                        forwardFunction,
                        InterpretableModel.linearRegression(),
                        LimeKernels::shapley,
                        KernelShap::sample);
    }

    /** {@inheritDoc} */
    @Override
    public Attribution attribute(Inputs inputs, Target target, Lime.Options options) {
        return lime.attribute(inputs, target, options);
    }

    /** {@inheritDoc} */
    @Override
    public MethodInfo<Lime.Options> info() {
        return lime.info();
    }

    /**
     * Captum's {@code kernel_shap_perturb_generator}: per example the full coalition, the empty
     * one, then coalitions whose size \( k \in [1, F-1] \) is drawn with probability \( \propto
     * (F-1)/(k(F-k)) \) (inverse CDF of a uniform draw) and whose members are a uniformly random
     * subset of that size (a partial Fisher-Yates shuffle of a permutation that carries over).
     * Drawn in Java from a generator that one draw of libtorch's seeds, so the call's seed decides
     * them.
     */
    static NDArray sample(int examples, int nSamples, int features, NDManager m) {
        SplittableRandom rng = Randomness.javaGenerator(m);
        double[] cdf = sizeDistribution(features);
        boolean[] out = new boolean[Sizes.elements("nSamples", examples, nSamples, features)];
        int[] order = new int[features];
        for (int i = 0; i < features; i++) {
            order[i] = i;
        }
        for (int e = 0; e < examples; e++) {
            for (int s = 0; s < nSamples; s++) {
                int row = (e * nSamples + s) * features;
                if (s == 0) {
                    Arrays.fill(out, row, row + features, true);
                } else if (s > 1 && cdf.length > 0) {
                    drawCoalition(rng, cdf, order, out, row);
                }
            }
        }
        return m.create(out, new Shape(examples, nSamples, features));
    }

    /** The cumulative distribution of coalition sizes 1 .. F-1 (empty for F < 2). */
    private static double[] sizeDistribution(int features) {
        double[] cdf = new double[Math.max(0, features - 1)];
        double total = 0;
        for (int k = 1; k < features; k++) {
            total += (features - 1.0) / (k * (double) (features - k));
            cdf[k - 1] = total;
        }
        for (int k = 0; k < cdf.length; k++) {
            cdf[k] /= total;
        }
        return cdf;
    }

    /** Uniform in {@code [0, bound)}: Lemire's multiply-shift with rejection (unbiased). */
    private static int below(SplittableRandom rng, int bound) {
        long m = (rng.nextInt() & 0xFFFFFFFFL) * bound;
        if ((m & 0xFFFFFFFFL) < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while ((m & 0xFFFFFFFFL) < threshold) {
                m = (rng.nextInt() & 0xFFFFFFFFL) * bound;
            }
        }
        return (int) (m >>> 32);
    }

    /** One coalition into {@code out[row .. row + F)}: its size from the CDF, then its members. */
    private static void drawCoalition(
            SplittableRandom rng, double[] cdf, int[] order, boolean[] out, int row) {
        int features = order.length;
        double u = rng.nextDouble();
        int size = 1;
        while (size < features - 1 && u > cdf[size - 1]) {
            size++;
        }
        // Shuffle only the smaller side: pick `size` members, or the `F - size` non-members.
        boolean member = size <= features - size;
        int picks = member ? size : features - size;
        if (!member) {
            Arrays.fill(out, row, row + features, true);
        }
        // `order` stays a permutation of the features; any permutation serves as the start.
        for (int i = 0; i < picks; i++) {
            int j = i + below(rng, features - i);
            int chosen = order[j];
            order[j] = order[i];
            order[i] = chosen;
            out[row + chosen] = member;
        }
    }
}
