package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Golden pixels of the time-series plots: colours at positions computed from the drawing maths the
 * Javadoc states (matplotlib's subplot box, 5% y margins, bands of width {@code x_1 - x_0}, alpha
 * over white, 1.5 pt lines) — not snapshots of our own output. With {@code outlierPerc = 0} the
 * normalised attribution is {@code a / max|a|}, so every expected colour is a colormap lookup.
 */
class TimeseriesVisualizationTest {

    private static final int T = 10;
    private static final int W = 600;
    private static final int H = 600;
    /** matplotlib's subplot box at 600 x 600: columns [75, 540), rows [72, 534). */
    private static final int LEFT = 75;
    private static final int RIGHT = 540;
    private static final int TOP = 72;
    private static final int BOTTOM = 534;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Two channels, (T, C): channel 0 constant at 2, channel 1 the ramp t. */
    private NDArray data() {
        float[] v = new float[T * 2];
        for (int t = 0; t < T; t++) {
            v[t * 2] = 2f;
            v[t * 2 + 1] = t;
        }
        return manager.create(v, new Shape(T, 2));
    }

    /** Attributions (T, C): channel 0 from -1 to 1, channel 1 from 0.5 down to -0.4; max |a| = 1. */
    private static float attr(int channel, int t) {
        return channel == 0 ? -1f + 2f * t / (T - 1) : 0.5f - 0.1f * t;
    }

    private NDArray attr() {
        float[] v = new float[T * 2];
        for (int t = 0; t < T; t++) {
            v[t * 2] = attr(0, t);
            v[t * 2 + 1] = attr(1, t);
        }
        return manager.create(v, new Shape(T, 2));
    }

    private static TimeseriesVisualization.Options.Builder options(
            TimeseriesVisualizationMethod method) {
        return TimeseriesVisualization.Options.builder()
                .method(method)
                .sign(VisualizeSign.ALL)
                .outlierPerc(0);
    }

    private static int rgb(BufferedImage image, double x, double y) {
        return image.getRGB((int) Math.floor(x), (int) Math.floor(y)) & 0xFFFFFF;
    }

    /** The RdWhGn colour of a normalised value in [-1, 1] (float32 maths), alpha over white. */
    private static int band(float v, double alpha) {
        int c = Colormap.RD_WH_GN.rgb((v + 1f) / 2f);
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            out |= (int) Math.round(alpha * ((c >> shift) & 0xFF) + (1 - alpha) * 255) << shift;
        }
        return out;
    }

    /** A column inside step t's band, 3 pixels from the axes' left and right frames. */
    private static double bandX(int t) {
        return px(t) + (t == T - 1 ? -3 : 3);
    }

    private static double px(double x) {
        return LEFT + x / (T - 1) * (RIGHT - LEFT);
    }

    private static double py(int top, int bottom, double lo, double hi, double y) {
        return top + (hi - y) / (hi - lo) * (bottom - top);
    }

    @Test
    void overlayIndividualStacksOnePanelPerChannelWithBandsBehindTheLines() {
        Figure f =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        attr(), data(), options(TimeseriesVisualizationMethod.OVERLAY_INDIVIDUAL)
                                .build());
        assertThat(f.width()).isEqualTo(W);
        assertThat(f.height()).isEqualTo(H);
        int middle = TOP + (BOTTOM - TOP) / 2; // 303: panels [72, 303) and [303, 534)
        assertThat(f.panels())
                .containsExactly(
                        new Rectangle(LEFT, TOP, RIGHT - LEFT, middle - TOP),
                        new Rectangle(LEFT, middle, RIGHT - LEFT, BOTTOM - middle));
        BufferedImage image = f.image();
        for (int t = 0; t < T; t++) {
            // Near each panel's top, away from the lines: the band of step t.
            assertThat(rgb(image, bandX(t), TOP + 5))
                    .as("channel 0, step %s", t)
                    .isEqualTo(band(attr(0, t), 0.7));
            assertThat(rgb(image, bandX(t), middle + 5))
                    .as("channel 1, step %s", t)
                    .isEqualTo(band(attr(1, t), 0.7));
        }
        // Channel 0 is constant (2): its y-range is [1.5, 2.5], the line in the panel's middle.
        double y0 = py(TOP, middle, 1.5, 2.5, 2);
        // Channel 1 is the ramp 0..9: y-range [-0.45, 9.45] (5% margins).
        double y1 = py(middle, BOTTOM, -0.45, 9.45, 4.5);
        for (double x : new double[] {0.5, 4.5, 7.5}) {
            assertThat(rgb(image, px(x), y0)).isEqualTo(TimeseriesPlot.C0);
        }
        assertThat(rgb(image, px(4.5), y1)).isEqualTo(TimeseriesPlot.C0);
        assertThat(rgb(image, px(2.5), py(middle, BOTTOM, -0.45, 9.45, 2.5)))
                .isEqualTo(TimeseriesPlot.C0);
        // Outside the axes the figure is white.
        assertThat(rgb(image, 20, 20)).isEqualTo(0xFFFFFF);
        assertThat(rgb(image, RIGHT + 10, TOP + 50)).isEqualTo(0xFFFFFF);
    }

    @Test
    void overlayCombinedSumsTheChannelsIntoOnePanel() {
        Figure f =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        attr(), data(), options(TimeseriesVisualizationMethod.OVERLAY_COMBINED)
                                .alphaOverlay(0.4)
                                .build());
        assertThat(f.panels()).containsExactly(new Rectangle(LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        BufferedImage image = f.image();
        float max = 0;
        float[] sum = new float[T];
        for (int t = 0; t < T; t++) {
            sum[t] = attr(0, t) + attr(1, t);
            max = Math.max(max, Math.abs(sum[t]));
        }
        for (int t = 0; t < T; t++) {
            // Bottom rows: below both lines (the lowest point is the ramp's 0 at 5% margin).
            assertThat(rgb(image, bandX(t), BOTTOM - 3))
                    .as("step %s", t)
                    .isEqualTo(band(sum[t] / max, 0.4));
        }
        // Both channels in one y-range [-0.45, 9.45]; Dark2's first two colours.
        assertThat(rgb(image, px(3.5), py(TOP, BOTTOM, -0.45, 9.45, 2)))
                .isEqualTo(TimeseriesPlot.DARK2[0]);
        assertThat(rgb(image, px(6.5), py(TOP, BOTTOM, -0.45, 9.45, 6.5)))
                .isEqualTo(TimeseriesPlot.DARK2[1]);
    }

    @Test
    void coloredGraphColoursEachSegmentByItsAttributionWithCaptumsYRange() {
        Figure f =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        attr(),
                        data(),
                        options(TimeseriesVisualizationMethod.COLORED_GRAPH)
                                .channelLabels(List.of("flat", "ramp"))
                                .build());
        BufferedImage image = f.image();
        int middle = TOP + (BOTTOM - TOP) / 2;
        for (int t = 0; t + 1 < T; t++) {
            double mid = t + 0.5;
            // Channel 0: y-range 1.2 x (2, 2) is empty, so a unit range around 2.
            assertThat(rgb(image, px(mid), py(TOP, middle, 1.5, 2.5, 2)))
                    .as("channel 0, segment %s", t)
                    .isEqualTo(band(attr(0, t), 1.0));
            // Channel 1: Captum's y-range (1.2 x 0, 1.2 x 9).
            assertThat(rgb(image, px(mid), py(middle, BOTTOM, 0, 10.8, mid)))
                    .as("channel 1, segment %s", t)
                    .isEqualTo(band(attr(1, t), 1.0));
        }
        // No bands: a point of the panel away from the line stays white.
        assertThat(rgb(image, px(4.5), TOP + 5)).isEqualTo(0xFFFFFF);
        // The channel labels sit left of the panels.
        assertThat(darkPixels(image, LEFT - 70, LEFT - 40, TOP, middle)).isPositive();
        assertThat(darkPixels(image, LEFT - 70, LEFT - 40, middle, BOTTOM)).isPositive();
    }

    @Test
    void signAndFixedScaleSetTheColours() {
        // ABSOLUTE_VALUE with Blues; a fixed scale of 2 halves every normalised value.
        Figure f =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        attr(),
                        data(),
                        TimeseriesVisualization.Options.builder()
                                .outlierPerc(0)
                                .scale(2.0)
                                .build());
        BufferedImage image = f.image();
        for (int t = 0; t < T; t++) {
            int c = Colormap.BLUES.rgb(Math.abs(attr(0, t)) / 2);
            int expected = TimeseriesPlot.blendOverWhite(c, 0.7);
            assertThat(rgb(image, bandX(t), TOP + 5)).as("step %s", t).isEqualTo(expected);
        }
    }

    @Test
    void aColourBarTakesRoomBelowThePanels() {
        Figure f =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        attr(),
                        data(),
                        options(TimeseriesVisualizationMethod.OVERLAY_COMBINED)
                                .showColorbar(true)
                                .title("IG")
                                .build());
        // 5% of 462 rows (23) and 0.4 inch (40) come off the axes' bottom.
        assertThat(f.panels())
                .containsExactly(new Rectangle(LEFT, TOP, RIGHT - LEFT, BOTTOM - 63 - TOP));
        BufferedImage image = f.image();
        // The bar's middle column is the colormap's middle, at the bands' alpha.
        int barRow = BOTTOM - 23 + 11;
        int middle = (LEFT + RIGHT) / 2;
        int c = rgb(image, middle, barRow);
        assertThat(c).isNotEqualTo(0xFFFFFF);
        assertThat(darkPixels(image, LEFT, RIGHT, 0, TOP)).as("the title").isPositive();
    }

    @Test
    void shapesAndLabelsAreChecked() {
        NDArray three = manager.zeros(new Shape(T, 3));
        assertThatThrownBy(
                        () ->
                                TimeseriesVisualization.visualizeTimeseriesAttr(
                                        three, data(), TimeseriesVisualization.Options.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attr shape (10, 3) must match data shape (10, 2)");
        assertThatThrownBy(
                        () ->
                                TimeseriesVisualization.visualizeTimeseriesAttr(
                                        attr(),
                                        data(),
                                        TimeseriesVisualization.Options.builder()
                                                .channelLabels(List.of("a"))
                                                .build()))
                .hasMessage("channelLabels must hold one label per channel (2), got 1");
        assertThatThrownBy(
                        () ->
                                TimeseriesVisualization.visualizeTimeseriesAttr(
                                        attr(),
                                        data(),
                                        new double[] {0, 1},
                                        TimeseriesVisualization.Options.DEFAULTS))
                .hasMessage("xValues must have the data's length 10, got 2");
    }

    private static int darkPixels(BufferedImage image, int x0, int x1, int y0, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int c = image.getRGB(x, y) & 0xFFFFFF;
                if (((c >> 16) & 0xFF) < 128 && ((c >> 8) & 0xFF) < 128 && (c & 0xFF) < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
