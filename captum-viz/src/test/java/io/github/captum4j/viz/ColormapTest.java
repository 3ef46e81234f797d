package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.awt.Color;

class ColormapTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"Blues", "Greens", "Reds", "RdYlGn", "seismic", "viridis", "gray", "RdWhGn"})
    void lookupTableBytesEqualMatplotlibs(String name) {
        Colormap cmap = Colormap.of(name);
        int[] expected = MatplotlibReference.lut(name);
        for (int i = 0; i < Colormap.SIZE; i++) {
            int rgb = cmap.entry(i);
            assertThat(new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF})
                    .as("%s entry %s", name, i)
                    .containsExactly(expected[4 * i], expected[4 * i + 1], expected[4 * i + 2]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {"Blues", "Greens", "Reds", "RdYlGn", "seismic", "viridis", "gray", "RdWhGn"})
    void valuesSelectTheEntriesMatplotlibSelects(String name) {
        Colormap cmap = Colormap.of(name);
        double[] x = MatplotlibReference.sampleX(name);
        int[] expected = MatplotlibReference.sampleRgba(name);
        for (int i = 0; i < x.length; i++) {
            int rgb = cmap.rgb(x[i]);
            assertThat(new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF})
                    .as("%s(%s)", name, x[i])
                    .containsExactly(expected[4 * i], expected[4 * i + 1], expected[4 * i + 2]);
        }
    }

    @Test
    void outOfRangeValuesTakeTheEndColours() {
        assertThat(Colormap.BLUES.rgb(-0.5)).isEqualTo(Colormap.BLUES.entry(0));
        assertThat(Colormap.BLUES.rgb(7)).isEqualTo(Colormap.BLUES.entry(255));
        assertThat(Colormap.index(1.0)).isEqualTo(255);
        assertThat(Colormap.index(0.999)).isEqualTo(255);
        assertThat(Colormap.index(0.5)).isEqualTo(128);
    }

    @Test
    void reversedMapsRunBackwards() {
        Colormap r = Colormap.of("Reds_r");
        assertThat(r.name()).isEqualTo("Reds_r");
        assertThat(r.entry(0)).isEqualTo(Colormap.REDS.entry(255));
        assertThat(r.reversed().entry(17)).isEqualTo(Colormap.REDS.entry(17));
    }

    @Test
    void fromListInterpolatesLinearly() {
        Colormap bw = Colormap.fromList("bw", Color.BLACK, Color.WHITE);
        for (int i = 0; i < Colormap.SIZE; i++) {
            assertThat(bw.entry(i)).isEqualTo(Colormap.GRAY.entry(i));
        }
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        assertThatThrownBy(() -> Colormap.of("jet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must be one of")
                .hasMessageContaining("viridis")
                .hasMessageContaining("'jet'");
        assertThatThrownBy(() -> Colormap.fromList("one", Color.RED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("colors must hold at least 2");
    }
}
