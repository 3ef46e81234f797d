package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Heat maps on one un-normalised scale (Captum #1103): with Captum's per-map normalisation an
 * attribution and twice that attribution draw the same picture; on a shared scale the stronger one
 * draws stronger colours, each pixel {@code cmap(min(1, |a| / s))}.
 */
class SharedScaleTest {

    private NDManager manager;
    private float[] values;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        SplittableRandom r = new SplittableRandom(17);
        values = new float[8 * 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (r.nextDouble() * 2 - 1);
        }
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray map(float factor) {
        float[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= factor;
        }
        return manager.create(v, new Shape(8, 8, 1));
    }

    private static int[] pixels(NDArray attr, ImageVisualization.Options o) {
        BufferedImage image = ImageVisualization.renderImageAttr(attr, null, o);
        return image.getRGB(0, 0, 8, 8, null, 0, 8);
    }

    @Test
    void perMapNormalisationHidesAFactorOfTwoASharedScaleShowsIt() {
        NDArray one = map(1f);
        NDArray two = map(2f);
        ImageVisualization.Options normalised = ImageVisualization.Options.DEFAULTS;
        assertThat(pixels(two, normalised)).containsExactly(pixels(one, normalised));

        double s =
                ImageVisualization.sharedScale(
                        List.of(one, two),
                        VisualizeSign.ABSOLUTE_VALUE,
                        2,
                        ChannelLayout.CHANNELS_LAST);
        // The shared scale is the outlier threshold of both maps' magnitudes together.
        float[] both = new float[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            both[i] = Math.abs(values[i]);
            both[values.length + i] = Math.abs(2f * values[i]);
        }
        assertThat(s).isEqualTo(Normalization.cumulativeSumThreshold(both, 98));

        ImageVisualization.Options shared = normalised.toBuilder().scale(s).build();
        int[] p1 = pixels(one, shared);
        int[] p2 = pixels(two, shared);
        assertThat(p2).isNotEqualTo(p1);
        for (int i = 0; i < values.length; i++) {
            float v1 = Math.min(1f, Math.abs(values[i]) / (float) s);
            float v2 = Math.min(1f, Math.abs(2f * values[i]) / (float) s);
            assertThat(p1[i] & 0xFFFFFF).isEqualTo(Colormap.BLUES.rgb(v1));
            assertThat(p2[i] & 0xFFFFFF).isEqualTo(Colormap.BLUES.rgb(v2));
        }
    }

    @Test
    void aMapsOwnThresholdAsTheScaleReproducesCaptumsNormalisation() {
        NDArray one = map(1f);
        float[] magnitude = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitude[i] = Math.abs(values[i]);
        }
        double own = Normalization.cumulativeSumThreshold(magnitude, 98);
        ImageVisualization.Options o =
                ImageVisualization.Options.builder().sign(VisualizeSign.ALL).build();
        assertThat(pixels(one, o.toBuilder().scale(own).build())).containsExactly(pixels(one, o));
    }

    @Test
    void scaleMustBePositive() {
        assertThatThrownBy(() -> ImageVisualization.Options.builder().scale(0.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scale must be a finite value > 0, got 0.0");
    }
}
