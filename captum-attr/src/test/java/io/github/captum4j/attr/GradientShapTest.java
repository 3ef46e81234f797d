package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

class GradientShapTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray random(long seed, long... shape) {
        Shape s = new Shape(shape);
        return manager.create(TestModels.gaussian((int) s.size(), seed), s);
    }

    @Test
    void onALinearModelTheAttributionIsWeightTimesInputMinusMeanDrawnBaseline() {
        ForwardFunction f = TestModels.linear(4, 2, 5);
        NDArray x = random(1, 3, 4);
        NDArray b = random(2, 1, 4);
        NDArray w =
                f.forward(new NDList(manager.eye(4)), List.of())
                        .sub(f.forward(new NDList(manager.zeros(new Shape(4, 4))), List.of()));
        try (Attribution a =
                new GradientShap(f)
                        .attribute(
                                Inputs.of(x).withBaselines(Baselines.distribution(b)),
                                Target.index(0),
                                GradientShap.Options.builder()
                                        .nSamples(6)
                                        .returnConvergenceDelta(true)
                                        .seed(3)
                                        .build())) {
            NDArrayAssert.assertThat(a.attribution(0))
                    .isCloseTo(x.sub(b).mul(w.get(":, 0").reshape(1, 4)), 1e-5, 1e-6);
            // Linear model: every draw is complete.
            NDArrayAssert.assertThat(a.convergenceDelta().orElseThrow()).hasShape(18);
            assertThat(a.convergenceDelta().orElseThrow().abs().max().getFloat()).isLessThan(1e-5f);
        }
    }

    @Test
    void sameSeedIdenticalOtherSeedDiffers() {
        ForwardFunction f = TestModels.mlp(4, 6, 2, 8);
        Inputs in =
                Inputs.of(random(1, 2, 4)).withBaselines(Baselines.distribution(random(2, 5, 4)));
        GradientShap gs = new GradientShap(f);
        GradientShap.Options o =
                GradientShap.Options.builder().nSamples(10).stdevs(0.2).seed(11).build();
        try (Attribution a = gs.attribute(in, Target.index(1), o);
                Attribution b = gs.attribute(in, Target.index(1), o);
                Attribution c = gs.attribute(in, Target.index(1), o.toBuilder().seed(12).build())) {
            NDArrayAssert.assertThat(a.attribution(0)).isIdenticalTo(b.attribution(0));
            assertThat(
                            Arrays.equals(
                                    a.attribution(0).toFloatArray(),
                                    c.attribution(0).toFloatArray()))
                    .isFalse();
        }
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> GradientShap.Options.builder().nSamples(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nSamples must be >= 1, got 0");
        GradientShap gs = new GradientShap(TestModels.linear(4, 2, 1));
        assertThatThrownBy(
                        () ->
                                gs.attribute(
                                        Inputs.of(random(1, 2, 4))
                                                .withBaselines(
                                                        Baselines.distribution(random(2, 5, 3))),
                                        Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "baselines[0] shape (5, 3) does not match inputs[0] shape (2, 4)");
    }

    /**
     * internalBatchSize only splits the draws into passes (beyond Captum, issue #1350): 1 row (one
     * draw per pass), 5 rows (2 draws of both examples), 9 (4) and more than all equal one pass.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 5, 9, 1000})
    void internalBatchSizeDoesNotChangeTheResult(int internalBatchSize) {
        ForwardFunction f = TestModels.mlp(4, 6, 3, 9);
        Inputs in =
                Inputs.of(random(1, 2, 4)).withBaselines(Baselines.distribution(random(2, 5, 4)));
        GradientShap.Options.Builder o =
                GradientShap.Options.builder()
                        .nSamples(7)
                        .stdevs(0.3)
                        .seed(11)
                        .returnConvergenceDelta(true);
        float[] expected;
        float[] expectedDelta;
        try (Attribution a = new GradientShap(f).attribute(in, Target.index(2), o.build())) {
            expected = a.attribution(0).toFloatArray();
            expectedDelta = a.convergenceDelta().orElseThrow().toFloatArray();
        }
        try (Attribution a =
                new GradientShap(f)
                        .attribute(
                                in,
                                Target.index(2),
                                o.internalBatchSize(internalBatchSize).build())) {
            assertThat(a.attribution(0).toFloatArray())
                    .containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(a.convergenceDelta().orElseThrow().toFloatArray())
                    .hasSize(2 * 7)
                    .containsExactly(expectedDelta, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
