package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sizes that scale time or memory fail up front, naming the argument and the estimate. */
class WorkBoundsTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void integratedGradientsOptionsRejectARiemannRuleBeyondTheHeapWithoutAllocatingIt() {
        assertThatThrownBy(
                        () ->
                                IntegratedGradients.Options.builder()
                                        .method(ApproximationMethod.RIEMANN_TRAPEZOID)
                                        .nSteps(Integer.MAX_VALUE)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps");
        assertThatThrownBy(() -> IntegratedGradients.Options.builder().nSteps(20_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps")
                .hasMessageContaining("GAUSS_LEGENDRE");
    }

    @Test
    void gradientShapRejectsNSamplesBeyondTheMachineNamingIt() {
        ForwardFunction f = TestModels.linear(4, 2, 5);
        NDArray x = manager.create(TestModels.gaussian(8, 1), new Shape(2, 4));
        NDArray b = manager.create(TestModels.gaussian(4, 2), new Shape(1, 4));
        Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(b));
        int before = manager.getManagedArrays().size();
        for (int nSamples : new int[] {400_000_000, Integer.MAX_VALUE}) {
            assertThatThrownBy(
                            () ->
                                    new GradientShap(f)
                                            .attribute(
                                                    in,
                                                    Target.index(0),
                                                    GradientShap.Options.builder()
                                                            .nSamples(nSamples)
                                                            .seed(1)
                                                            .build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("nSamples")
                    .hasMessageContaining("GB");
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
