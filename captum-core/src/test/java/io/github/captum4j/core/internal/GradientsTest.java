package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class GradientsTest {

    /** f(x)[:, j] = sum_i x_i^2 * (j + 1): gradient for target j is 2 (j + 1) x. */
    private static final ForwardFunction SQUARES =
            (in, args) -> {
                NDArray s = in.get(0).square().sum(new int[] {1}, true);
                return s.concat(s.mul(2), 1).concat(s.mul(3), 1);
            };

    @Test
    void gradientOfTheTargetIsAnalytic() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, -1, 0, 4}, new Shape(2, 3));
            Gradients.Result r =
                    Gradients.compute(SQUARES, new NDList(x), List.of(), Target.perExample(0, 2));
            NDArrayAssert.assertThat(r.gradients().get(0))
                    .isCloseTo(new double[] {2, 4, 6, -6, 0, 24}, 0, 1e-6);
            NDArrayAssert.assertThat(r.selected()).isCloseTo(new double[] {14, 51}, 0, 1e-5);
        }
    }

    @Test
    void parameterGradientsAreAnalyticDoNotAccumulateAndLeaveTheParameterFrozen() {
        try (NDManager m = NDManager.newBaseManager()) {
            // f(x) = x W^T: d sum(f(x)^2) / dW = 2 (x W^T)^T x
            NDArray w = m.create(new float[] {1, 0, 2, -1, 1, 0}, new Shape(2, 3));
            NDArray x = m.create(new float[] {1, 2, 3, -1, 0, 4}, new Shape(2, 3));
            ForwardFunction linear = (in, args) -> in.get(0).matMul(w.transpose());
            NDArray expected = x.matMul(w.transpose()).transpose().matMul(x).mul(2);
            for (int pass = 0; pass < 2; pass++) {
                try (NDManager call = m.newSubManager()) {
                    NDArray xc = x.duplicate();
                    xc.attach(call);
                    NDList g =
                            ParameterGradients.compute(
                                    linear, new NDList(xc), List.of(), NDArray::square, new NDList(w));
                    assertThat(g.get(0).getManager()).isSameAs(call);
                    NDArrayAssert.assertThat(g.get(0)).isCloseTo(expected, 0, 1e-5);
                }
            }
            assertThat(w.hasGradient()).isFalse();
        }
    }

    @Test
    void gradientsDoNotAccumulateAcrossPassesAndGradModeIsRestored() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            boolean before = JniUtils.isGradMode();
            Gradients.compute(SQUARES, new NDList(x), List.of(), Target.index(0));
            Gradients.Result second =
                    Gradients.compute(SQUARES, new NDList(x), List.of(), Target.index(0));
            NDArrayAssert.assertThat(second.gradients().get(0))
                    .isCloseTo(new double[] {2, 4, 6}, 0, 1e-6);
            assertThat(JniUtils.isGradMode()).isEqualTo(before);
            assertThat(x.hasGradient()).isFalse();
        }
    }

    @Test
    void unusedInputGetsZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2}, new Shape(1, 2));
            NDArray unused = m.create(new float[] {5, 6}, new Shape(1, 2));
            Gradients.Result r =
                    Gradients.compute(
                            (in, a) -> in.get(0).sum(new int[] {1}),
                            new NDList(x, unused),
                            List.of(),
                            Target.none());
            NDArrayAssert.assertThat(r.gradients().get(1)).isCloseTo(new double[] {0, 0}, 0, 0);
        }
    }

    @Test
    void nanOutputIsAModelContractError() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-1, 2}, new Shape(2, 1));
            assertThatThrownBy(
                            () ->
                                    Gradients.compute(
                                            (in, a) -> in.get(0).sqrt(),
                                            new NDList(x),
                                            List.of(),
                                            Target.index(0)))
                    .isInstanceOf(AttributionException.class)
                    .hasMessageContaining("NaN");
        }
    }

    @Test
    void threadsComputeIndependentGradients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (NDManager m = NDManager.newBaseManager()) {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                final float v = t;
                futures.add(
                        pool.submit(
                                () -> {
                                    try (NDManager local = m.newSubManager()) {
                                        NDArray x =
                                                local.create(new float[] {v, 1}, new Shape(1, 2));
                                        return Gradients.compute(
                                                        SQUARES,
                                                        new NDList(x),
                                                        List.of(),
                                                        Target.index(1))
                                                .gradients()
                                                .get(0)
                                                .toFloatArray();
                                    }
                                }));
            }
            for (int t = 0; t < 64; t++) {
                assertThat(futures.get(t).get()).containsExactly(4f * t, 4f);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
