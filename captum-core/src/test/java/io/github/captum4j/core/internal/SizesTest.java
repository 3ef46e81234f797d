package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void aProductThatFitsIsExact() {
        assertThat(Sizes.elements("nSamples", 3, 50, 150_528)).isEqualTo(3 * 50 * 150_528);
    }

    @Test
    void aProductBeyondAJavaArrayNamesTheArgumentAndTheEstimate() {
        // 2 x 50,000 x 49,152 wraps to a negative int.
        assertThatThrownBy(() -> Sizes.elements("nSamples", 2, 50_000, 49_152))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSamples")
                .hasMessageContaining("4915200000");
        assertThatThrownBy(() -> Sizes.elements("nSamples", Integer.MAX_VALUE, Integer.MAX_VALUE, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSamples");
    }

    @Test
    void aRequestBeyondTheHeapNamesTheArgumentAndTheEstimate() {
        long max = Runtime.getRuntime().maxMemory();
        assertThatThrownBy(() -> Sizes.memory("nSteps", max / 8 + 1, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps")
                .hasMessageContaining("GB");
        Sizes.memory("nSteps", 1000, 8);
    }
}
