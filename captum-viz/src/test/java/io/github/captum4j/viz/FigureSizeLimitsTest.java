package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Figure sizes within each option's documented range ({@code figSize} up to 100 inches a side,
 * {@code dpi} in [10, 600]) either draw or fail up front with an {@link IllegalArgumentException}
 * naming both options: never a NegativeArraySizeException, OutOfMemoryError or a zero-size raster
 * from inside Java2D (issue 19, item 11).
 */
class FigureSizeLimitsTest {
    private static NDManager manager;
    private static NDArray attr;
    private static NDArray series;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        attr = manager.randomNormal(new Shape(8, 8, 3));
        series = manager.randomNormal(new Shape(2, 20));
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static ImageVisualization.Options image(double w, double h, int dpi) {
        return ImageVisualization.Options.builder().figSize(w, h).dpi(dpi).build();
    }

    private static TimeseriesVisualization.Options timeseries(double w, double h, int dpi) {
        return TimeseriesVisualization.Options.builder().figSize(w, h).dpi(dpi).build();
    }

    @ParameterizedTest(name = "{0} x {1} in at {2} dpi is refused")
    @CsvSource({"100, 100, 600", "100, 2, 600", "60, 60, 300", "100, 100, 100"})
    void tooManyPixelsAreRefusedUpFrontNamingTheOptions(double w, double h, int dpi) {
        assertThatThrownBy(() -> image(w, h, dpi))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("figSize")
                .hasMessageContaining("dpi")
                .message()
                .hasSizeLessThan(500);
        assertThatThrownBy(() -> timeseries(w, h, dpi))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("figSize");
    }

    @ParameterizedTest(name = "{0} x {1} in at {2} dpi draws")
    @CsvSource({"0.01, 0.01, 10", "0.1, 5, 10", "10, 6.5, 600", "1, 1, 10"})
    void smallAndLargeAllowedSizesDraw(double w, double h, int dpi) {
        Figure f = ImageVisualization.visualizeImageAttr(attr, null, image(w, h, dpi));
        assertThat(f.image().getWidth()).isEqualTo(Math.max(1, (int) Math.round(w * dpi)));
        assertThat(f.image().getHeight()).isEqualTo(Math.max(1, (int) Math.round(h * dpi)));
        Figure t =
                TimeseriesVisualization.visualizeTimeseriesAttr(
                        series, series, timeseries(w, h, dpi));
        assertThat(t.image().getWidth()).isEqualTo(Math.max(1, (int) Math.round(w * dpi)));
    }
}
