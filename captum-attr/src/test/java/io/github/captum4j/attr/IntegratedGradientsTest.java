package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class IntegratedGradientsTest {

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

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void completenessHoldsForGaussLegendreOnRandomSmoothModels(long seed) {
        ForwardFunction f = TestModels.mlp(5, 8, 3, seed);
        NDArray x = random(seed + 10, 4, 5);
        NDArray b = random(seed + 20, 4, 5).mul(0.3f);
        IntegratedGradients ig = new IntegratedGradients(f);
        try (Attribution a =
                ig.attribute(
                        Inputs.of(x).withBaselines(Baselines.tensors(b)),
                        Target.index((int) (seed % 3)),
                        IntegratedGradients.Options.builder()
                                .nSteps(64)
                                .returnConvergenceDelta(true)
                                .build())) {
            float[] fx = f.forward(new NDList(x), List.of()).get(":, " + seed % 3).toFloatArray();
            float[] fb = f.forward(new NDList(b), List.of()).get(":, " + seed % 3).toFloatArray();
            float[] sums = a.attribution(0).sum(new int[] {1}).toFloatArray();
            float[] delta = a.convergenceDelta().orElseThrow().toFloatArray();
            for (int n = 0; n < 4; n++) {
                double gap = fx[n] - fb[n];
                assertThat((double) sums[n])
                        .isCloseTo(
                                gap,
                                org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(gap)));
                assertThat((double) delta[n])
                        .isCloseTo(sums[n] - gap, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ApproximationMethod.class)
    void onALinearModelIgIsWeightTimesDifferenceScaledByTheStepSizes(ApproximationMethod method) {
        ForwardFunction f = TestModels.linear(4, 2, 7);
        NDArray x = random(8, 3, 4);
        NDArray w =
                f.forward(new NDList(manager.eye(4)), List.of())
                        .sub(
                                f.forward(
                                        new NDList(manager.zeros(new Shape(4, 4))),
                                        List.of())); // rows = W
        IntegratedGradients ig = new IntegratedGradients(f);
        int n = 9;
        try (Attribution a =
                ig.attribute(
                        Inputs.of(x),
                        Target.index(1),
                        IntegratedGradients.Options.builder().nSteps(n).method(method).build())) {
            double sumOfSteps = 0;
            for (double s : method.quadrature(n).weights()) {
                sumOfSteps += s;
            }
            NDArray expected = x.mul(w.get(":, 1").reshape(1, 4)).mul((float) sumOfSteps);
            NDArrayAssert.assertThat(a.attribution(0)).isCloseTo(expected, 1e-5, 1e-6);
        }
    }

    @Test
    void internalBatchingDoesNotChangeTheResult() {
        ForwardFunction f = TestModels.mlp(6, 5, 2, 11);
        NDArray x = random(12, 5, 6);
        IntegratedGradients ig = new IntegratedGradients(f);
        IntegratedGradients.Options one = IntegratedGradients.Options.builder().nSteps(30).build();
        try (Attribution a = ig.attribute(Inputs.of(x), Target.index(0), one);
                Attribution b =
                        ig.attribute(
                                Inputs.of(x),
                                Target.index(0),
                                one.toBuilder().internalBatchSize(7).build())) {
            NDArrayAssert.assertThat(b.attribution(0)).isCloseTo(a.attribution(0), 1e-5, 1e-7);
        }
    }

    @Test
    void withoutMultiplyingByInputsTheResultIsTheIntegratedGradient() {
        ForwardFunction f = TestModels.mlp(3, 4, 2, 3);
        NDArray x = random(4, 2, 3);
        NDArray b = random(5, 2, 3);
        Inputs in = Inputs.of(x).withBaselines(Baselines.tensors(b));
        try (Attribution global = new IntegratedGradients(f).attribute(in, Target.index(1));
                Attribution local =
                        new IntegratedGradients(f, false).attribute(in, Target.index(1))) {
            NDArrayAssert.assertThat(local.attribution(0).mul(x.sub(b)))
                    .isCloseTo(global.attribution(0), 1e-5, 1e-7);
        }
    }

    @Test
    void perExampleTargetsAndSeveralInputsAreSupported() {
        ForwardFunction f = (in, args) -> in.get(0).mul(2).add(in.get(1).square());
        NDArray x1 = random(1, 2, 3);
        NDArray x2 = random(2, 2, 3);
        try (Attribution a =
                new IntegratedGradients(f).attribute(Inputs.of(x1, x2), Target.perExample(2, 0))) {
            // d/dx1 = 2 on the target column, IG = 2 x1 there; for x2: IG of x^2 from 0 is x^2.
            float[] a1 = a.attribution(0).toFloatArray();
            float[] a2 = a.attribution(1).toFloatArray();
            float[] v1 = x1.toFloatArray();
            float[] v2 = x2.toFloatArray();
            int[] cols = {2, 0};
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 3; j++) {
                    int k = n * 3 + j;
                    assertThat(a1[k])
                            .isCloseTo(
                                    j == cols[n] ? 2 * v1[k] : 0f,
                                    org.assertj.core.data.Offset.offset(1e-5f));
                    assertThat(a2[k])
                            .isCloseTo(
                                    j == cols[n] ? v2[k] * v2[k] : 0f,
                                    org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheArgumentNamed() {
        ForwardFunction f = TestModels.linear(3, 2, 1);
        IntegratedGradients ig = new IntegratedGradients(f);
        NDArray x = random(1, 2, 3);
        assertThatThrownBy(() -> IntegratedGradients.Options.builder().nSteps(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nSteps must be >= 1, got 0");
        assertThatThrownBy(() -> IntegratedGradients.Options.builder().internalBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("internalBatchSize must be >= 1 or null, got 0");
        assertThatThrownBy(
                        () ->
                                ig.attribute(
                                        Inputs.of(x)
                                                .withBaselines(Baselines.tensors(random(2, 2, 4))),
                                        Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "baselines[0] shape (2, 4) does not match inputs[0] shape (2, 3)");
        assertThatThrownBy(() -> ig.attribute(Inputs.of(x), Target.index(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target index 5 is out of range for dimension 1 of size 2");
        assertThatThrownBy(() -> ig.attribute(Inputs.of(x), Target.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target is required");
        assertThatThrownBy(
                        () ->
                                ig.attribute(
                                        Inputs.of(x.toType(DataType.INT64, false)),
                                        Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs[0] must be floating point for Integrated Gradients");
        assertThatThrownBy(() -> new IntegratedGradients(ForwardFunction.blackBox(f)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forwardFunction must be differentiable");
    }

    @Test
    void nothingLeaksIntoTheCallersManagerAlsoWhenTheModelThrows() {
        ForwardFunction f = TestModels.mlp(4, 6, 3, 9);
        NDArray x = random(3, 2, 4);
        int before = manager.getManagedArrays().size();
        IntegratedGradients ig = new IntegratedGradients(f);
        IntegratedGradients.Options opts =
                IntegratedGradients.Options.builder()
                        .nSteps(10)
                        .internalBatchSize(6)
                        .returnConvergenceDelta(true)
                        .build();
        for (int i = 0; i < 50; i++) {
            ig.attribute(Inputs.of(x), Target.index(1), opts).close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        ForwardFunction failing =
                (in, args) -> {
                    if (in.get(0).getShape().get(0) > 4) {
                        throw new ai.djl.engine.EngineException("boom");
                    }
                    return f.forward(in, args);
                };
        assertThatThrownBy(
                        () ->
                                new IntegratedGradients(failing)
                                        .attribute(Inputs.of(x), Target.index(1), opts))
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(ai.djl.engine.EngineException.class);
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        assertThat(x.getManager()).isSameAs(manager);
    }

    @Test
    void resultIsAttachedToTheCallerAndClosable() {
        NDArray x = random(3, 2, 4);
        Attribution a =
                new IntegratedGradients(TestModels.linear(4, 1, 2))
                        .attribute(Inputs.of(x), Target.none());
        assertThat(a.attribution(0).getManager()).isSameAs(manager);
        assertThat(a.method()).isEqualTo("Integrated Gradients");
        assertThat(a.options()).isEqualTo(IntegratedGradients.Options.DEFAULTS);
        a.close();
        assertThatThrownBy(a::attributions).isInstanceOf(IllegalStateException.class);
    }
}
