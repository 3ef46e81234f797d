package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OcclusionTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * A model that sums one 4x4 region of an 16x16 image: with 4x4 windows at stride 4 only the
     * region lights up, with exactly its own sum; with 3x3 windows at stride 1 every element whose
     * windows never touch the region stays 0 and the region holds the largest values.
     */
    @Test
    void lightsUpTheRegionTheModelLooksAt() {
        ForwardFunction region =
                ForwardFunction.blackBox(
                        (x, args) -> x.get(0).get(":, :, 4:8, 8:12").sum(new int[] {1, 2, 3}));
        NDArray image = manager.randomUniform(0.5f, 1f, new Shape(2, 1, 16, 16));
        Inputs in = Inputs.of(image);
        try (Attribution a =
                new Occlusion(region)
                        .attribute(
                                in,
                                Target.none(),
                                Occlusion.Options.builder()
                                        .slidingWindowShapes(1, 4, 4)
                                        .strides(1, 4, 4)
                                        .perturbationsPerEval(16)
                                        .build())) {
            NDArray map = a.attribution(0);
            NDArray inside = map.get(":, :, 4:8, 8:12");
            NDArray sums = image.get(":, :, 4:8, 8:12").sum(new int[] {1, 2, 3});
            NDArrayAssert.assertThat(inside.reshape(2, -1).max(new int[] {1}))
                    .isCloseTo(sums, 1e-5, 1e-5);
            NDArrayAssert.assertThat(inside.reshape(2, -1).min(new int[] {1}))
                    .isCloseTo(sums, 1e-5, 1e-5);
            assertThat(map.abs().sum().getFloat())
                    .isCloseTo(
                            16 * sums.sum().getFloat(), org.assertj.core.data.Offset.offset(1e-3f));
        }
        try (Attribution a =
                new Occlusion(region)
                        .attribute(
                                in,
                                Target.none(),
                                Occlusion.Options.builder()
                                        .slidingWindowShapes(1, 3, 3)
                                        .perturbationsPerEval(64)
                                        .build())) {
            NDArray map = a.attribution(0);
            assertThat(map.get(":, :, 0:2, :").abs().max().getFloat()).isZero();
            assertThat(map.get(":, :, :, 0:6").abs().max().getFloat()).isZero();
            float peak = map.max().getFloat();
            assertThat(map.get(":, :, 4:8, 8:12").max().getFloat()).isEqualTo(peak);
            assertThat(map.min().getFloat()).isGreaterThanOrEqualTo(0f);
        }
    }

    @Test
    void invalidWindowsAreRejected() {
        Inputs in = Inputs.of(manager.zeros(new Shape(1, 3, 8, 8)));
        Occlusion occlusion = new Occlusion((x, args) -> x.get(0).sum(new int[] {1, 2, 3}));
        assertThatThrownBy(
                        () ->
                                occlusion.attribute(
                                        in,
                                        Target.none(),
                                        Occlusion.Options.builder()
                                                .slidingWindowShapes(3, 9, 2)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot exceed the input's dimensions");
        assertThatThrownBy(
                        () ->
                                occlusion.attribute(
                                        in,
                                        Target.none(),
                                        Occlusion.Options.builder()
                                                .slidingWindowShapes(3, 2, 2)
                                                .strides(1, 3, 3)
                                                .build()))
                .hasMessageContaining("cannot exceed slidingWindowShapes[0]");
        assertThatThrownBy(
                        () ->
                                occlusion.attribute(
                                        in,
                                        Target.none(),
                                        Occlusion.Options.builder()
                                                .slidingWindowShapes(2, 2)
                                                .build()))
                .hasMessageContaining("must have one extent per dimension of inputs[0]");
    }
}
