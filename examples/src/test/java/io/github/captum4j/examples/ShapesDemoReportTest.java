package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.examples.ShapesDemoReport.Row;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** The demo's heat-map panel: whole titles, signed maps (a negative map is drawn red). */
class ShapesDemoReportTest {

    @Test
    void longTitlesWrapIntoLinesThatFitTheColumn() {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        FontMetrics fm = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.dispose();
        String title = "NoiseTunnel(IntegratedGradients), smoothgrad_sq, 10 samples";
        List<String> lines = ShapesDemoReport.wrap(title, fm, 128);
        assertThat(lines).hasSizeGreaterThan(1);
        // nothing lost: the lines hold every character of the title
        assertThat(String.join("", lines).replace(" ", "")).isEqualTo(title.replace(" ", ""));
        assertThat(lines).allSatisfy(l -> assertThat(fm.stringWidth(l)).isLessThanOrEqualTo(128));
    }

    @Test
    void aNegativeMapIsDrawnRedAndAPositiveOneGreen() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ShapesTask test = ShapesTask.generate(ShapesDemoReport.PANEL_IMAGES, 5, manager);
            NDArray positive = test.images().abs().add(0.1f);
            NDArray negative = positive.neg();
            List<Row> rows =
                    List.of(
                            row("a positive map", positive),
                            row("LayerGradCam(conv2), upsampled: a negative map", negative));
            BufferedImage panel = ShapesDemoReport.panel(test, rows);
            Path out = Path.of("target", "demo-panel-test.png");
            Files.createDirectories(out.getParent());
            ImageIO.write(panel, "png", out.toFile());
            int cell = ShapesTask.SIZE * 4;
            int rowsEnd = panel.getHeight() - 60; // above the colour bar
            int[] lastColumn = count(panel, panel.getWidth() - cell, panel.getWidth(), rowsEnd);
            int[] before =
                    count(panel, panel.getWidth() - 2 * cell - 6, panel.getWidth() - cell - 6,
                            rowsEnd);
            // {red-dominant, green-dominant} pixels of each column
            assertThat(lastColumn[0]).as("negative map: red").isGreaterThan(1000);
            assertThat(lastColumn[1]).as("negative map: no green").isZero();
            assertThat(before[1]).as("positive map: green").isGreaterThan(1000);
            assertThat(before[0]).as("positive map: no red").isZero();
        }
    }

    private static int[] count(BufferedImage image, int x0, int x1, int y1) {
        int[] n = new int[2];
        for (int x = x0; x < x1; x++) {
            for (int y = 0; y < y1; y++) {
                Color c = new Color(image.getRGB(x, y));
                n[0] += c.getRed() > c.getGreen() + 40 ? 1 : 0;
                n[1] += c.getGreen() > c.getRed() + 40 ? 1 : 0;
            }
        }
        return n;
    }

    private static Row row(String name, NDArray attribution) {
        return new Row(name, 0, 0, 0, 0, 0, 0, null, attribution);
    }
}
