package io.github.captum4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void theNnpackSwitchReachesLibtorchsContextAndConvolutionsStayExact() {
        boolean initial = EngineSettings.nnpackEnabled();
        try (NDManager manager = NDManager.newBaseManager()) {
            // batch 1 and a 1x1 kernel: a convolution that oneDNN does not take, so libtorch asks
            // for NNPACK when it is enabled
            NDArray x = manager.arange(2f * 3 * 4).reshape(new Shape(1, 2, 3, 4));
            NDArray w = manager.create(new float[] {1f, -2f, 0.5f, 3f}, new Shape(2, 2, 1, 1));
            float[] expected = conv1x1(x.toFloatArray(), w.toFloatArray(), 2, 12);
            for (boolean enabled : new boolean[] {!initial, initial}) {
                EngineSettings.setNnpackEnabled(enabled);
                assertThat(EngineSettings.nnpackEnabled()).isEqualTo(enabled);
                assertThat(Conv2d.conv2d(x, w).singletonOrThrow().toFloatArray())
                        .containsExactly(expected);
            }
        } finally {
            EngineSettings.setNnpackEnabled(initial);
        }
    }

    @Test
    void glibcAcceptsTheAllocatorSettingsAndTensorsStayExact() {
        assumeTrue(com.sun.jna.Platform.isLinux(), "glibc's allocator");
        // mallopt answers 1 per accepted value: a mapping threshold above glibc's 32 MiB maximum,
        // say, would be refused.
        assertThat(io.github.captum4j.core.internal.GlibcAllocator.keepFreedMemory()).isTrue();
        EngineSettings.keepFreedMemory();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 3; i++) {
                // 16 MiB blocks, freed and allocated again from the kept heap
                NDArray big = manager.ones(new Shape(4L << 20)).mul(i + 1);
                assertThat(big.sum().getFloat()).isEqualTo((i + 1) * (float) (4 << 20));
                big.close();
            }
        }
    }

    /** out[o][p] = sum_c w[o][c] x[c][p] for a 1x1 convolution of one example. */
    private static float[] conv1x1(float[] x, float[] w, int channels, int pixels) {
        float[] out = new float[channels * pixels];
        for (int o = 0; o < channels; o++) {
            for (int p = 0; p < pixels; p++) {
                float s = 0;
                for (int c = 0; c < channels; c++) {
                    s += w[o * channels + c] * x[c * pixels + p];
                }
                out[o * pixels + p] = s;
            }
        }
        return out;
    }
}
