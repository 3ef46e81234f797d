package io.github.captum4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsTest {

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
    @ValueSource(ints = {1, 2, 3})
    void infidelityOfTheGradientOfALinearModelIsZeroForAnyPerturbation(int seed) {
        ForwardFunction linear = TestModels.linear(6, 3, seed);
        NDArray x = random(seed + 10, 4, 6);
        try (Attribution grad =
                new Saliency(linear)
                        .attribute(Inputs.of(x), Target.index(1), new Saliency.Options(false))) {
            for (boolean normalize : new boolean[] {false, true}) {
                NDArray score =
                        Metrics.infidelity(
                                linear,
                                InfidelityPerturbation.gaussian(0.5),
                                Inputs.of(x),
                                grad.attributions(),
                                Target.index(1),
                                Metrics.InfidelityOptions.DEFAULTS
                                        .withNormalize(normalize)
                                        .withMaxExamplesPerBatch(12)
                                        .withSeed(seed));
                NDArrayAssert.assertThat(score).hasShape(4).isCloseTo(new double[4], 0, 1e-6);
            }
        }
    }

    @Test
    void infidelityOfWrongAttributionsIsPositiveAndNormalizationIsScaleInvariant() {
        ForwardFunction linear = TestModels.linear(6, 3, 4);
        NDArray x = random(11, 2, 6);
        NDArray wrong = random(12, 2, 6);
        Metrics.InfidelityOptions o =
                Metrics.InfidelityOptions.DEFAULTS.withNormalize(true).withSeed(5);
        NDArray a =
                Metrics.infidelity(
                        linear,
                        InfidelityPerturbation.gaussian(0.1),
                        Inputs.of(x),
                        new NDList(wrong),
                        Target.index(0),
                        o);
        NDArray b =
                Metrics.infidelity(
                        linear,
                        InfidelityPerturbation.gaussian(0.1),
                        Inputs.of(x),
                        new NDList(wrong.mul(7f)),
                        Target.index(0),
                        o);
        for (float v : a.toFloatArray()) {
            assertThat(v).isGreaterThan(0f);
        }
        NDArrayAssert.assertThat(b).isCloseTo(a, 1e-4, 1e-7);
    }

    @Test
    void sensitivityMaxOfSaliencyOnALinearModelIsZero() {
        ForwardFunction linear = TestModels.linear(5, 2, 3);
        Saliency saliency = new Saliency(linear);
        NDArray sens =
                Metrics.sensitivityMax(
                        saliency::attribute,
                        SensitivityPerturbation.uniformLinf(),
                        Inputs.of(random(1, 3, 5)),
                        Target.index(1),
                        Metrics.SensitivityOptions.DEFAULTS
                                .withPerturbRadius(0.3f)
                                .withMaxExamplesPerBatch(7)
                                .withSeed(1));
        NDArrayAssert.assertThat(sens).hasShape(3).isCloseTo(new double[3], 0, 1e-6);
    }

    @Test
    void sensitivityMaxGrowsWithTheRadiusOnACurvedModel() {
        ForwardFunction mlp = TestModels.mlp(5, 8, 2, 9);
        Saliency saliency = new Saliency(mlp);
        Inputs in = Inputs.of(random(2, 2, 5));
        Metrics.SensitivityOptions o = Metrics.SensitivityOptions.DEFAULTS.withSeed(3);
        float[] small =
                Metrics.sensitivityMax(
                                saliency::attribute,
                                SensitivityPerturbation.uniformLinf(),
                                in,
                                Target.index(0),
                                o.withPerturbRadius(0.01f))
                        .toFloatArray();
        float[] large =
                Metrics.sensitivityMax(
                                saliency::attribute,
                                SensitivityPerturbation.uniformLinf(),
                                in,
                                Target.index(0),
                                o.withPerturbRadius(0.5f))
                        .toFloatArray();
        for (int i = 0; i < 2; i++) {
            assertThat(small[i]).isGreaterThan(0f).isLessThan(large[i]);
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        NDArray x = random(1, 2, 6);
        assertThatThrownBy(() -> Metrics.InfidelityOptions.DEFAULTS.withNPerturbSamples(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nPerturbSamples must be >= 1, got 0");
        assertThatThrownBy(
                        () ->
                                Metrics.infidelity(
                                        TestModels.linear(6, 2, 1),
                                        InfidelityPerturbation.gaussian(1),
                                        Inputs.of(x),
                                        new NDList(random(2, 2, 5)),
                                        Target.index(0),
                                        Metrics.InfidelityOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attributions[0] shape (2, 5) does not match inputs[0] shape (2, 6)");
        assertThatThrownBy(() -> Metrics.SensitivityOptions.DEFAULTS.withNormOrd(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("normOrd must be > 0");
    }

    @Test
    void nothingLeaks() {
        ForwardFunction mlp = TestModels.mlp(5, 8, 2, 9);
        Saliency saliency = new Saliency(mlp);
        NDArray x = random(2, 2, 5);
        NDArray attr = random(3, 2, 5);
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
            Metrics.infidelity(
                            mlp,
                            InfidelityPerturbation.gaussian(0.1),
                            Inputs.of(x),
                            new NDList(attr),
                            Target.index(0),
                            Metrics.InfidelityOptions.DEFAULTS
                                    .withMaxExamplesPerBatch(6)
                                    .withNormalize(true))
                    .close();
            Metrics.sensitivityMax(
                            saliency::attribute,
                            SensitivityPerturbation.uniformLinf(),
                            Inputs.of(x),
                            Target.index(0),
                            Metrics.SensitivityOptions.DEFAULTS.withMaxExamplesPerBatch(6))
                    .close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
