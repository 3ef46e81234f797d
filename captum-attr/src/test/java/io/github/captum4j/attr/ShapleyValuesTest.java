package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

/** ShapleyValues, ShapleyValueSampling and KernelShap against Shapley values by enumeration. */
class ShapleyValuesTest {

    private static final int F = 5;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** The model: feature 4 is a dummy (its weights are zero). */
    private static ForwardFunction model(long seed) {
        ForwardFunction mlp = TestModels.mlp(F, 6, 2, seed);
        return ForwardFunction.blackBox(
                (x, args) -> mlp.forward(new NDList(x.get(0).mul(dummyOff(x.get(0)))), args));
    }

    private static NDArray dummyOff(NDArray x) {
        return x.getManager().create(new float[] {1, 1, 1, 1, 0}).reshape(1, F);
    }

    /** Shapley values by averaging marginal contributions over all F! orders (no 2^F formula). */
    private double[][] byPermutations(ForwardFunction f, NDArray x, NDArray b) {
        int n = (int) x.getShape().get(0);
        double[][] phi = new double[n][F];
        List<int[]> orders = new ArrayList<>();
        permutations(new int[F], new boolean[F], 0, orders);
        for (int[] order : orders) {
            boolean[] present = new boolean[F];
            double[] previous = value(f, x, b, present);
            for (int g : order) {
                present[g] = true;
                double[] next = value(f, x, b, present);
                for (int e = 0; e < n; e++) {
                    phi[e][g] += (next[e] - previous[e]) / orders.size();
                }
                previous = next;
            }
        }
        return phi;
    }

    private double[] value(ForwardFunction f, NDArray x, NDArray b, boolean[] present) {
        float[] keep = new float[F];
        for (int g = 0; g < F; g++) {
            keep[g] = present[g] ? 1 : 0;
        }
        NDArray k = manager.create(keep).reshape(1, F);
        NDArray mixed = x.mul(k).add(b.mul(k.neg().add(1)));
        float[] out = f.forward(new NDList(mixed), List.of()).get(":, 0").toFloatArray();
        double[] v = new double[out.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = out[i];
        }
        return v;
    }

    private static void permutations(int[] current, boolean[] used, int depth, List<int[]> out) {
        if (depth == current.length) {
            out.add(current.clone());
            return;
        }
        for (int g = 0; g < current.length; g++) {
            if (!used[g]) {
                used[g] = true;
                current[depth] = g;
                permutations(current, used, depth + 1, out);
                used[g] = false;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void exactValuesEqualTheEnumerationOverOrdersWithEfficiencyAndAZeroDummy(long seed) {
        ForwardFunction f = model(seed);
        NDArray x = manager.create(TestModels.gaussian(3 * F, seed + 10), new Shape(3, F));
        NDArray b = manager.create(TestModels.gaussian(F, seed + 20), new Shape(1, F));
        double[][] expected = byPermutations(f, x, b);
        try (Attribution a =
                new ShapleyValues(f)
                        .attribute(
                                Inputs.of(x).withBaselines(Baselines.tensors(b)),
                                Target.index(0),
                                ShapleyValues.Options.DEFAULTS.withPerturbationsPerEval(32))) {
            float[] phi = a.attribution(0).toFloatArray();
            double[] fx = value(f, x, b, new boolean[] {true, true, true, true, true});
            double[] fb = value(f, x, b, new boolean[F]);
            for (int e = 0; e < 3; e++) {
                double total = 0;
                for (int g = 0; g < F; g++) {
                    assertThat((double) phi[e * F + g]).isCloseTo(expected[e][g], within(1e-5));
                    total += phi[e * F + g];
                }
                assertThat(total).isCloseTo(fx[e] - fb[e], within(1e-5));
                assertThat(phi[e * F + 4]).isEqualTo(0f);
            }
        }
    }

    /** RMS error against the exact values, averaged over seeds. */
    private double samplingError(Sampler sampler, int n, NDArray exact) {
        double total = 0;
        int seeds = 8;
        for (int s = 0; s < seeds; s++) {
            try (Attribution a = sampler.run(n, s)) {
                NDArray d = a.attribution(0).sub(exact);
                total += d.square().mean().getFloat();
            }
        }
        return Math.sqrt(total / seeds);
    }

    @FunctionalInterface
    private interface Sampler {
        Attribution run(int nSamples, int seed);
    }

    /**
     * Sampling error shrinks like 1/sqrt(n): 16 times the samples cut it about 4 times (accepted:
     * between 2 and 8 times) for ShapleyValueSampling and KernelShap.
     */
    @Test
    void samplingMethodsConvergeToTheExactValues() {
        ForwardFunction f = model(4);
        NDArray x = manager.create(TestModels.gaussian(2 * F, 40), new Shape(2, F));
        Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(0.2f));
        NDArray exact;
        try (Attribution a = new ShapleyValues(f).attribute(in, Target.index(0))) {
            exact = a.attribution(0).duplicate();
        }
        ShapleyValueSampling svs = new ShapleyValueSampling(f);
        Sampler sampling =
                (n, seed) ->
                        svs.attribute(
                                in,
                                Target.index(0),
                                ShapleyValueSampling.Options.builder()
                                        .nSamples(n)
                                        .perturbationsPerEval(1000)
                                        .seed(seed)
                                        .build());
        double small = samplingError(sampling, 8, exact);
        double large = samplingError(sampling, 128, exact);
        assertThat(small / large).isBetween(2.0, 8.0);
        KernelShap ks = new KernelShap(f);
        Sampler kernel =
                (n, seed) ->
                        ks.attribute(
                                in,
                                Target.index(0),
                                Lime.Options.builder()
                                        .nSamples(n)
                                        .perturbationsPerEval(1000)
                                        .seed(seed)
                                        .build());
        double kSmall = samplingError(kernel, 40, exact);
        double kLarge = samplingError(kernel, 640, exact);
        assertThat(kSmall / kLarge).isBetween(2.0, 8.0);
    }

    /** Every sample of ShapleyValueSampling is efficient, so every estimate is. */
    @Test
    void everySamplingEstimateIsEfficient() {
        ForwardFunction f = model(5);
        NDArray x = manager.create(TestModels.gaussian(2 * F, 50), new Shape(2, F));
        NDArray b = manager.zeros(new Shape(1, F));
        try (Attribution a =
                new ShapleyValueSampling(f)
                        .attribute(
                                Inputs.of(x),
                                Target.index(0),
                                ShapleyValueSampling.Options.builder()
                                        .nSamples(3)
                                        .seed(9)
                                        .build())) {
            float[] sums = a.attribution(0).sum(new int[] {1}).toFloatArray();
            double[] fx = value(f, x, b, new boolean[] {true, true, true, true, true});
            double[] fb = value(f, x, b, new boolean[F]);
            for (int e = 0; e < 2; e++) {
                assertThat((double) sums[e]).isCloseTo(fx[e] - fb[e], within(1e-5));
            }
            assertThat(a.attribution(0).get(":, 4").abs().max().getFloat()).isZero();
        }
    }
}
