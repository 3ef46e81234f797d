package io.github.captum4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hand-made maps and masks with hand-computed scores. */
class LocalisationTest {

    private NDManager manager;
    private NDArray attribution;
    private NDArray mask;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        // example 0: max 9 at (0,1), inside the mask; example 1: max 8 at (1,1), outside.
        attribution =
                manager.create(new float[] {1, 9, -2, 3, /* */ 5, -1, 2, 8}, new Shape(2, 2, 2));
        mask =
                manager.create(
                        new boolean[] {true, true, false, false, /* */ true, true, false, false},
                        new Shape(2, 2, 2));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void pointingGameHitsWhenTheMaximumIsInTheMask() {
        assertThat(Localisation.pointingGame(attribution, mask).toFloatArray())
                .containsExactly(1f, 0f);
    }

    @Test
    void relevanceMassIsThePositiveShareInsideTheMask() {
        // example 0: positive inside 1 + 9 = 10, total positive 13; example 1: 5 / 15
        assertThat(Localisation.relevanceMass(attribution, mask).toFloatArray())
                .containsExactly(new float[] {10f / 13, 5f / 15}, within(1e-6f));
    }

    @Test
    void relevanceRankAccuracyCountsTheTopKInsideTheMask() {
        // K = 2. Example 0: top 2 = {9, 3} -> one inside; example 1: top 2 = {8, 5} -> one inside.
        assertThat(Localisation.relevanceRankAccuracy(attribution, mask).toFloatArray())
                .containsExactly(0.5f, 0.5f);
        NDArray perfect = manager.create(new float[] {4, 3, 2, 1, 4, 3, 2, 1}, new Shape(2, 2, 2));
        assertThat(Localisation.relevanceRankAccuracy(perfect, mask).toFloatArray())
                .containsExactly(1f, 1f);
    }

    @Test
    void shapesMustMatch() {
        assertThatThrownBy(
                        () ->
                                Localisation.pointingGame(
                                        attribution, manager.zeros(new Shape(2, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask shape (2, 4) does not match attribution shape (2, 2, 2)");
    }

    @Test
    void spearmanOfAMonotoneTransformIsOneAndOfTheReverseMinusOne() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, new Shape(2, 4));
        NDArray b = manager.create(new float[] {1, 4, 9, 16, 40, 30, 20, 10}, new Shape(2, 4));
        assertThat(Similarity.spearman(a, b)).containsExactly(new double[] {1, -1}, within(1e-12));
        // ties take average ranks: [1, 1, 2] -> ranks [1.5, 1.5, 3] vs [1, 2, 3] -> 0.866...
        NDArray c = manager.create(new float[] {1, 1, 2}, new Shape(1, 3));
        NDArray d = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
        assertThat(Similarity.spearman(c, d)[0]).isCloseTo(Math.sqrt(3) / 2, within(1e-12));
    }

    @Test
    void ssimIsOneForIdenticalMapsAndLowerForNoise() {
        NDArray a = manager.arange(0f, 2 * 16 * 16f).reshape(2, 16, 16).sin();
        assertThat(Similarity.ssim(a, a)).containsExactly(new double[] {1, 1}, within(1e-9));
        NDArray noise = manager.randomNormal(new Shape(2, 16, 16));
        for (double s : Similarity.ssim(a, noise)) {
            assertThat(s).isLessThan(0.5);
        }
    }
}
