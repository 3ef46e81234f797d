package io.github.captum4j.viz.global;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class GlobalPlotsTest {

    @Test
    void barsAreOrderedByMeanAbsAndProportional(@TempDir Path dir) throws Exception {
        List<String> names = List.of("a", "b", "c");
        Plot plot = GlobalPlots.meanAbsBarChart(names, new double[] {1, 4, 2}, 10);
        // the bars' widths in the SVG, top to bottom: b (4), c (2), a (1), proportional to the values
        Matcher m = Pattern.compile("<rect x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"18.00\"").matcher(plot.svg());
        double[] widths = new double[3];
        int n = 0;
        while (m.find()) {
            widths[n++] = Double.parseDouble(m.group(2));
        }
        assertThat(n).isEqualTo(3);
        assertThat(widths[0] / widths[1]).isEqualTo(2.0, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(widths[1] / widths[2]).isEqualTo(2.0, org.assertj.core.api.Assertions.within(1e-3));
        int b = plot.svg().indexOf(">b<");
        int c = plot.svg().indexOf(">c<");
        int a = plot.svg().indexOf(">a<");
        assertThat(b).isLessThan(c);
        assertThat(c).isLessThan(a);
        Path png = plot.writePng(dir.resolve("bars.png"));
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(plot.image().getWidth());
        assertThat(Files.readString(plot.writeSvg(dir.resolve("bars.svg")))).startsWith("<svg");
        assertThat(plot.html()).contains("<svg");
    }

    @Test
    void beeswarmDrawsOneDotPerRowAndFeatureColouredByValue() {
        SplittableRandom random = new SplittableRandom(3);
        int rows = 300;
        float[][] attr = new float[rows][2];
        float[][] values = new float[rows][2];
        for (int r = 0; r < rows; r++) {
            values[r][0] = (float) random.nextDouble();
            values[r][1] = (float) random.nextDouble();
            attr[r][0] = 2 * values[r][0] - 1; // feature x0: attribution grows with its value
            attr[r][1] = 0.1f * (float) random.nextGaussian();
        }
        Plot plot = GlobalPlots.beeswarm(List.of("x0", "x1"), attr, values, 10);
        String svg = plot.svg();
        assertThat(svg.split("<circle", -1)).hasSize(2 * rows + 1);
        // high values of x0 sit right (positive attribution) and are red, low ones left and blue
        Matcher m = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"[0-9.]+\" r=\"[0-9.]+\" fill=\"#([0-9a-f]{6})\"").matcher(svg);
        double redX = 0;
        double blueX = 0;
        int reds = 0;
        int blues = 0;
        for (int i = 0; i < rows && m.find(); i++) {
            Color col = Color.decode("#" + m.group(2));
            if (col.getRed() > 200) {
                redX += Double.parseDouble(m.group(1));
                reds++;
            } else if (col.getRed() < 50) {
                blueX += Double.parseDouble(m.group(1));
                blues++;
            }
        }
        assertThat(reds).isPositive();
        assertThat(blues).isPositive();
        assertThat(redX / reds).isGreaterThan(blueX / blues);
        BufferedImage image = plot.image();
        assertThat(image.getHeight()).isGreaterThan(100);
    }

    @Test
    void mismatchedInputsAreRejected() {
        assertThatThrownBy(() -> GlobalPlots.meanAbsBarChart(List.of("a"), new double[2], 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names");
        assertThatThrownBy(() -> GlobalPlots.beeswarm(List.of("a"), new float[1][1], new float[2][1], 5))
                .hasMessageContaining("rows");
    }
}
