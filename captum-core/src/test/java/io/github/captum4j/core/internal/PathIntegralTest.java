package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.approx.Quadrature;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

class PathIntegralTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @ParameterizedTest
    @CsvSource({
        // internalBatchSize, examples, nSteps, steps per pass = max(1, ibs // N) (Captum)
        "10, 3, 50, 3",
        "9, 3, 50, 3",
        "2, 3, 50, 1",
        "1, 1, 7, 1",
        "64, 1, 50, 64",
        "100, 4, 7, 25",
    })
    void stepsPerPassIsCaptumsFloorOfBatchSizeOverExamplesAtLeastOne(
            int internalBatchSize, int examples, int nSteps, int expected) {
        assertThat(PathIntegral.stepsPerPass(internalBatchSize, examples, nSteps))
                .isEqualTo(expected);
    }

    @Test
    void withoutAnInternalBatchSizeEveryStepRunsInOnePass() {
        assertThat(PathIntegral.stepsPerPass(null, 5, 37)).isEqualTo(37);
    }

    @Test
    void passesSplitTheStepsInOrderWithExpandedArgumentsAndTargets() {
        NDList x = new NDList(manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
        NDList b = new NDList(manager.zeros(new Shape(2, 2)));
        NDArray perExampleArg = manager.create(new float[] {5, 6});
        Quadrature q = ApproximationMethod.RIEMANN_TRAPEZOID.quadrature(7);
        List<Integer> steps = new ArrayList<>();
        List<Double> alphas = new ArrayList<>();
        PathIntegral.passes(
                x,
                b,
                List.of(perExampleArg),
                Target.perExample(0, 1),
                q,
                3,
                (scaled, args, target, part, pass) -> {
                    int k = part.size();
                    steps.add(k);
                    for (int i = 0; i < k; i++) {
                        alphas.add(part.alpha(i));
                    }
                    assertThat(scaled.get(0).getShape()).isEqualTo(new Shape(2L * k, 2));
                    assertThat(((NDArray) args.get(0)).getShape()).isEqualTo(new Shape(2L * k));
                    assertThat(target)
                            .isEqualTo(
                                    Expansion.expand(
                                            Target.perExample(0, 1), k, Expansion.Layout.TILE));
                },
                PathIntegral.Progress.NONE,
                manager);
        assertThat(steps).containsExactly(3, 3, 1);
        double[] expected = q.alphas();
        assertThat(alphas).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(alphas.get(i)).isEqualTo(expected[i]);
        }
    }

    @Test
    void scaledInputsAreStackedStepMajorOnTheStraightPath() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {-1, 0, 1, 2}, new Shape(2, 2));
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(3);
        float[] got =
                PathIntegral.scaledInputs(new NDList(x), new NDList(b), q, manager)
                        .get(0)
                        .toFloatArray();
        float[] xs = x.toFloatArray();
        float[] bs = b.toFloatArray();
        assertThat(got).hasSize(3 * 4);
        for (int k = 0; k < 3; k++) {
            for (int e = 0; e < 4; e++) {
                // row k·N + n, element e of the flattened (N, 2) batch
                double expected = bs[e] + q.alpha(k) * (xs[e] - bs[e]);
                assertThat((double) got[k * 4 + e]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void scaledInputsFreeTheirIntermediateRowsAtOnce() {
        NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {-1, 0, 1, 2}, new Shape(2, 2));
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(3);
        try (NDManager pass = manager.newSubManager()) {
            NDArray scaled =
                    PathIntegral.scaledInputs(new NDList(x), new NDList(b), q, pass).get(0);
            // only the K step fractions and the scaled rows themselves: the product alpha·(x - x')
            // and the handle before the reshape (each K·N rows) are closed as soon as consumed
            assertThat(pass.getManagedArrays()).hasSize(2).contains(scaled);
            assertThat(pass.getManagedArrays().stream().mapToLong(a -> a.size()))
                    .containsExactlyInAnyOrder(3L, 3L * 4);
        }
    }

    @Test
    void weightedStepSumIsTheQuadratureOfEachExample() {
        Quadrature q = ApproximationMethod.RIEMANN_LEFT.quadrature(3);
        // K = 3 steps of N = 2 examples with 2 features: g[k, n, f] = k + 10 n + 100 f
        float[] g = new float[12];
        for (int k = 0; k < 3; k++) {
            for (int n = 0; n < 2; n++) {
                for (int f = 0; f < 2; f++) {
                    g[k * 4 + n * 2 + f] = k + 10 * n + 100 * f;
                }
            }
        }
        float[] got =
                PathIntegral.weightedStepSum(manager.create(g, new Shape(6, 2)), q).toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int f = 0; f < 2; f++) {
                double expected = 0;
                for (int k = 0; k < 3; k++) {
                    expected += q.weight(k) * (k + 10 * n + 100 * f);
                }
                assertThat((double) got[n * 2 + f]).isCloseTo(expected, within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3", "7", "50"})
    void theIntegralDoesNotDependOnHowTheStepsAreSplit(int stepsPerPass) {
        // g(z) = z^2 element-wise: the integral is sum_k w_k (x' + a_k (x - x'))^2
        NDArray x = manager.create(new float[] {1, -2, 0.5f, 3}, new Shape(2, 2));
        NDArray b = manager.create(new float[] {0.5f, 0, -1, 1}, new Shape(2, 2));
        Quadrature q = ApproximationMethod.GAUSS_LEGENDRE.quadrature(7);
        List<Integer> calls = new ArrayList<>();
        NDList got =
                PathIntegral.integrate(
                        new NDList(x),
                        new NDList(b),
                        List.of(),
                        Target.none(),
                        q,
                        stepsPerPass,
                        (scaled, args, target, steps) -> {
                            calls.add(steps);
                            return new NDList(scaled.get(0).square());
                        },
                        PathIntegral.Progress.NONE,
                        manager);
        assertThat(calls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
        assertThat(calls).hasSize((7 + stepsPerPass - 1) / stepsPerPass);
        float[] xs = x.toFloatArray();
        float[] bs = b.toFloatArray();
        float[] out = got.get(0).toFloatArray();
        for (int e = 0; e < 4; e++) {
            double expected = 0;
            for (int k = 0; k < q.size(); k++) {
                double z = bs[e] + q.alpha(k) * (xs[e] - bs[e]);
                expected += q.weight(k) * z * z;
            }
            assertThat((double) out[e]).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void aNullBaselineIsTheZeroBaseline() {
        NDArray x = manager.create(new float[] {1, -2, 0.5f, 3}, new Shape(2, 2));
        Quadrature q = ApproximationMethod.RIEMANN_TRAPEZOID.quadrature(5);
        PathIntegral.StepGradients cube =
                (scaled, args, target, steps) -> new NDList(scaled.get(0).pow(3));
        float[] withNull =
                PathIntegral.integrate(
                                new NDList(x),
                                null,
                                List.of(),
                                Target.none(),
                                q,
                                2,
                                cube,
                                PathIntegral.Progress.NONE,
                                manager)
                        .get(0)
                        .toFloatArray();
        float[] withZeros =
                PathIntegral.integrate(
                                new NDList(x),
                                new NDList(x.zerosLike()),
                                List.of(),
                                Target.none(),
                                q,
                                2,
                                cube,
                                PathIntegral.Progress.NONE,
                                manager)
                        .get(0)
                        .toFloatArray();
        assertThat(withNull).containsExactly(withZeros, within(1e-6f));
    }
}
