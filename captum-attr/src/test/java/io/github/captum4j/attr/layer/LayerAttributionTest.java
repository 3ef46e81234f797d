package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link LayerAttribution#interpolate}: the bilinear and nearest modes are checked against Captum's
 * numbers in the GradCAM fixture cases; here the other modes' defining properties.
 */
class LayerAttributionTest {

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
    void nearestUpsamplingByAnIntegerFactorRepeatsCells() {
        NDArray x = manager.arange(6f).reshape(1, 1, 2, 3);
        NDArray up = LayerAttribution.interpolate(x, 4, 6);
        NDArrayAssert.assertThat(up).isCloseTo(x.repeat(2, 2).repeat(3, 2), 0, 0);
    }

    @Test
    void areaDownsamplingAveragesBlocks() {
        NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
        NDArray down = LayerAttribution.interpolate(x, new long[] {2, 2}, Interpolation.AREA);
        NDArrayAssert.assertThat(down)
                .isCloseTo(
                        manager.create(
                                new float[] {2.5f, 4.5f, 10.5f, 12.5f}, new Shape(1, 1, 2, 2)),
                        0,
                        1e-6);
    }

    @Test
    void linearModesReproduceALinearRampInTheInterior() {
        NDArray ramp = manager.arange(8f).reshape(1, 1, 8);
        NDArray up = LayerAttribution.interpolate(ramp, new long[] {16}, Interpolation.LINEAR);
        // align_corners=False: output i samples the input at (i + 0.5) / 2 - 0.5
        float[] v = up.toFloatArray();
        for (int i = 1; i < 15; i++) {
            assertThat((double) v[i])
                    .isCloseTo((i + 0.5) / 2 - 0.5, org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(v[0]).isZero();
        assertThat(v[15]).isEqualTo(7f);
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void everyModeKeepsAConstantMap(Interpolation mode) {
        int spatial = mode == Interpolation.LINEAR ? 1 : mode == Interpolation.TRILINEAR ? 3 : 2;
        long[] in = new long[2 + spatial];
        long[] size = new long[spatial];
        in[0] = 2;
        in[1] = 3;
        for (int d = 0; d < spatial; d++) {
            in[2 + d] = 3 + d;
            size[d] = 7 - d;
        }
        NDArray x = manager.full(new Shape(in), 1.5f);
        NDArray up = LayerAttribution.interpolate(x, size, mode);
        long[] out = in.clone();
        System.arraycopy(size, 0, out, 2, spatial);
        NDArrayAssert.assertThat(up).isCloseTo(manager.full(new Shape(out), 1.5f), 1e-6, 1e-6);
    }

    @Test
    void sizesThatDoNotFitTheMapAreRejected() {
        NDArray x = manager.zeros(new Shape(1, 1, 4, 4));
        assertThatThrownBy(() -> LayerAttribution.interpolate(x, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size must give one value per spatial dimension");
        assertThatThrownBy(
                        () ->
                                LayerAttribution.interpolate(
                                        x, new long[] {8, 8}, Interpolation.TRILINEAR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRILINEAR");
    }
}
