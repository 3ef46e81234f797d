package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * Golden-image tests: for the reference attribution of {@code matplotlib-reference.json} (5 x 4
 * pixels, 3 channels) and a fixed image, every method x sign draws the pixels computed here from
 * the reference's NumPy normalisation and matplotlib's colormap bytes — independently of the
 * rendering code. The figures are written to {@code target/golden/} for review.
 */
class ImageVisualizationTest {

    private static final Path OUT = Path.of("target", "golden");
    private static final int H = 5;
    private static final int W = 4;
    private static final float ALPHA = 0.5f;

    private static NDManager manager;
    private static NDArray attr;
    private static NDArray image;
    private static float[] imageBytes;

    @BeforeAll
    static void setUp() throws IOException {
        manager = NDManager.newBaseManager();
        MatplotlibReference.NormCase c = reference(VisualizeSign.ALL);
        attr = manager.create(c.attr(), new Shape(H, W, 3));
        imageBytes = new float[H * W * 3];
        for (int i = 0; i < imageBytes.length; i++) {
            imageBytes[i] = (i * 53 + 17) % 256; // integer values 0-255 (maximum > 1: used as is)
        }
        image = manager.create(imageBytes, new Shape(H, W, 3));
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static MatplotlibReference.NormCase reference(VisualizeSign sign) {
        return MatplotlibReference.normalisationCases().stream()
                .filter(c -> c.shape()[0] == H && c.sign() == sign && c.outlierPerc() == 2)
                .findFirst()
                .orElseThrow();
    }

    static Stream<Arguments> methodsAndSigns() {
        List<Arguments> out = new ArrayList<>();
        for (ImageVisualizationMethod m : ImageVisualizationMethod.values()) {
            for (VisualizeSign s : VisualizeSign.values()) {
                out.add(Arguments.of(m, s));
            }
        }
        return out.stream();
    }

    /** The expected pixel colours, computed from the reference and matplotlib's bytes. */
    private static int[][] expected(ImageVisualizationMethod method, VisualizeSign sign) {
        float[] norm = reference(sign).expected();
        String cmap =
                switch (sign) {
                    case ALL -> "RdWhGn";
                    case POSITIVE -> "Greens";
                    case NEGATIVE -> "Reds";
                    case ABSOLUTE_VALUE -> "Blues";
                };
        float vmin = sign == VisualizeSign.ALL ? -1f : 0f;
        double[] grey = new double[H * W];
        double gmin = Double.MAX_VALUE;
        double gmax = -Double.MAX_VALUE;
        for (int p = 0; p < H * W; p++) {
            grey[p] = (imageBytes[3 * p] + imageBytes[3 * p + 1] + imageBytes[3 * p + 2]) / 3.0;
            gmin = Math.min(gmin, grey[p]);
            gmax = Math.max(gmax, grey[p]);
        }
        int[] greyLut = MatplotlibReference.lut("gray");
        int[][] out = new int[H * W][];
        for (int p = 0; p < H * W; p++) {
            int[] rgb = new int[3];
            int[] heat = MatplotlibReference.color(cmap, norm[p], vmin);
            int g = greyLut[4 * Math.min(255, (int) ((grey[p] - gmin) / (gmax - gmin) * 256))];
            for (int c = 0; c < 3; c++) {
                float b = imageBytes[3 * p + c];
                int alpha = Math.min(255, Math.max(0, (int) (norm[p] * 255f)));
                rgb[c] =
                        switch (method) {
                            case HEAT_MAP -> heat[c];
                            case BLENDED_HEAT_MAP ->
                                    (int) Math.round(ALPHA * heat[c] + (1 - ALPHA) * g);
                            case ORIGINAL_IMAGE -> (int) b;
                            case MASKED_IMAGE ->
                                    Math.min(255, Math.max(0, (int) (b * (double) norm[p])));
                            case ALPHA_SCALING ->
                                    (int) Math.round(alpha / 255.0 * b + (1 - alpha / 255.0) * 255);
                        };
            }
            out[p] = rgb;
        }
        return out;
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("methodsAndSigns")
    void eachMethodAndSignDrawsTheExpectedPixels(
            ImageVisualizationMethod method, VisualizeSign sign) throws IOException {
        ImageVisualization.Options options =
                ImageVisualization.Options.builder()
                        .method(method)
                        .sign(sign)
                        .alphaOverlay(ALPHA)
                        .showColorbar(true)
                        .title(method + " / " + sign)
                        .figSize(3, 3.5)
                        .build();
        if (sign == VisualizeSign.ALL
                && (method == ImageVisualizationMethod.MASKED_IMAGE
                        || method == ImageVisualizationMethod.ALPHA_SCALING)) {
            assertThatThrownBy(() -> ImageVisualization.visualizeImageAttr(attr, image, options))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sign ALL cannot be drawn by method " + method);
            return;
        }
        int[][] expected = expected(method, sign);
        BufferedImage bare = ImageVisualization.renderImageAttr(attr, image, options);
        assertThat(bare.getWidth()).isEqualTo(W);
        assertThat(bare.getHeight()).isEqualTo(H);
        Figure figure = ImageVisualization.visualizeImageAttr(attr, image, options);
        assertThat(figure.width()).isEqualTo(300);
        assertThat(figure.height()).isEqualTo(350);
        Path png = figure.writePng(OUT.resolve(method + "_" + sign + ".png"));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(png)));
        Rectangle panel = figure.panels().get(0);
        int tolerance =
                method == ImageVisualizationMethod.HEAT_MAP
                                || method == ImageVisualizationMethod.ORIGINAL_IMAGE
                                || method == ImageVisualizationMethod.MASKED_IMAGE
                        ? 0
                        : 1; // alpha compositing rounds
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int[] want = expected[y * W + x];
                assertPixel(bare.getRGB(x, y), want, tolerance, "bare (" + y + ", " + x + ")");
                int fx = panel.x + (int) ((x + 0.5) * panel.width / W);
                int fy = panel.y + (int) ((y + 0.5) * panel.height / H);
                assertPixel(
                        decoded.getRGB(fx, fy), want, tolerance, "figure (" + y + ", " + x + ")");
            }
        }
    }

    private static void assertPixel(int argb, int[] want, int tolerance, String where) {
        int[] got = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(got[c] - want[c]))
                    .as("%s channel %s: got %s, expected %s", where, c, got[c], want[c])
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @Test
    void channelsFirstAndChannelsLastDrawTheSamePixels() {
        ImageVisualization.Options last =
                ImageVisualization.Options.builder()
                        .method(ImageVisualizationMethod.BLENDED_HEAT_MAP)
                        .sign(VisualizeSign.ALL)
                        .build();
        ImageVisualization.Options first =
                last.toBuilder().channelLayout(ChannelLayout.CHANNELS_FIRST).build();
        try (NDManager m = manager.newSubManager()) {
            m.tempAttachAll(attr, image);
            NDArray attrChw = attr.transpose(2, 0, 1).expandDims(0);
            NDArray imageChw = image.transpose(2, 0, 1);
            assertThat(pixels(ImageVisualization.renderImageAttr(attrChw, imageChw, first)))
                    .containsExactly(pixels(ImageVisualization.renderImageAttr(attr, image, last)));
        }
    }

    @Test
    void imagesInZeroToOneAreScaledTo255() {
        try (NDManager m = manager.newSubManager()) {
            NDArray unit = m.create(new float[] {0f, 0.5f, 1f, 1f, 0.25f, 0f}, new Shape(1, 2, 3));
            NDArray a = m.ones(new Shape(1, 2, 1));
            ImageVisualization.Options o =
                    ImageVisualization.Options.builder()
                            .method(ImageVisualizationMethod.ORIGINAL_IMAGE)
                            .build();
            int[] px = pixels(ImageVisualization.renderImageAttr(a, unit, o));
            // 0.5 * 255 = 127.5 and 0.25 * 255 = 63.75, truncated as Captum's astype(int).
            assertThat(px).containsExactly(0x007FFF, 0xFF3F00);
        }
    }

    @Test
    void zeroAttributionsDrawWithoutFailing() {
        try (NDManager m = manager.newSubManager()) {
            NDArray zeros = m.zeros(new Shape(H, W, 3));
            for (ImageVisualizationMethod method : ImageVisualizationMethod.values()) {
                for (VisualizeSign sign : VisualizeSign.values()) {
                    if (sign == VisualizeSign.ALL
                            && !method.drawsHeatMap()
                            && method != ImageVisualizationMethod.ORIGINAL_IMAGE) {
                        continue;
                    }
                    ImageVisualization.Options o =
                            ImageVisualization.Options.builder().method(method).sign(sign).build();
                    Figure f = ImageVisualization.visualizeImageAttr(zeros, image, o);
                    assertThat(f.panels()).hasSize(1);
                }
            }
            int[] heat =
                    pixels(
                            ImageVisualization.renderImageAttr(
                                    zeros, null, ImageVisualization.Options.DEFAULTS));
            assertThat(heat).containsOnly(Colormap.BLUES.entry(0));
        }
    }

    @Test
    void multipleDrawsOnePanelPerMethodWithTitlesAndColourBars() throws IOException {
        Figure f =
                ImageVisualization.visualizeImageAttrMultiple(
                        attr,
                        image,
                        List.of(
                                ImageVisualizationMethod.ORIGINAL_IMAGE,
                                ImageVisualizationMethod.HEAT_MAP,
                                ImageVisualizationMethod.BLENDED_HEAT_MAP),
                        List.of(VisualizeSign.ALL, VisualizeSign.POSITIVE, VisualizeSign.ALL),
                        List.of("Original", "Positive", "Blended"),
                        ImageVisualization.Options.builder().showColorbar(true).build());
        f.writePng(OUT.resolve("multiple.png"));
        assertThat(f.width()).isEqualTo(800);
        assertThat(f.height()).isEqualTo(600);
        List<Rectangle> panels = f.panels();
        assertThat(panels).hasSize(3);
        assertThat(panels.get(0).x + panels.get(0).width).isLessThan(panels.get(1).x);
        BufferedImage img = f.image();
        // The colour bar under the heat map runs from Greens' first to its last colour.
        Rectangle heat = panels.get(1);
        int barY = heat.y + heat.height + 12;
        assertThat(img.getRGB(heat.x, barY) & 0xFFFFFF).isEqualTo(Colormap.GREENS.entry(0));
        assertThat(img.getRGB(heat.x + heat.width - 1, barY) & 0xFFFFFF)
                .isEqualTo(Colormap.GREENS.entry(255));
        // No colour bar under the original image, whose method draws no colormap.
        Rectangle orig = panels.get(0);
        assertThat(img.getRGB(orig.x + orig.width / 2, barY) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        // Titles are drawn above the panels.
        assertThat(darkPixels(img, new Rectangle(heat.x, heat.y - 25, heat.width, 22)))
                .isPositive();
    }

    @Test
    void nothingLeaksFromTheCallersManager() {
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 50; i++) {
            ImageVisualization.visualizeImageAttr(attr, image, ImageVisualization.Options.DEFAULTS);
        }
        assertThatThrownBy(
                        () ->
                                ImageVisualization.visualizeImageAttr(
                                        attr,
                                        null,
                                        ImageVisualization.Options.builder()
                                                .method(ImageVisualizationMethod.MASKED_IMAGE)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("originalImage must be given for method MASKED_IMAGE");
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> ImageVisualization.Options.builder().alphaOverlay(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alphaOverlay must be in [0, 1], got 2.0");
        assertThatThrownBy(() -> ImageVisualization.Options.builder().figSize(0, 3).build())
                .hasMessageContaining("figSize must be positive");
        try (NDManager m = manager.newSubManager()) {
            NDArray wrong = m.zeros(new Shape(2, 2));
            assertThatThrownBy(
                            () ->
                                    ImageVisualization.visualizeImageAttr(
                                            attr,
                                            wrong,
                                            ImageVisualization.Options.builder()
                                                    .method(ImageVisualizationMethod.ORIGINAL_IMAGE)
                                                    .build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("originalImage size (H 2, W 2) must match attr's (H 5, W 4)");
            assertThatThrownBy(
                            () ->
                                    ImageVisualization.visualizeImageAttrMultiple(
                                            attr,
                                            image,
                                            List.of(ImageVisualizationMethod.HEAT_MAP),
                                            List.of(),
                                            null,
                                            ImageVisualization.Options.DEFAULTS))
                    .hasMessage("signs must hold one sign per method (1), got 0");
        }
    }

    private static int[] pixels(BufferedImage img) {
        int[] out = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    private static int darkPixels(BufferedImage img, Rectangle r) {
        int n = 0;
        for (int y = Math.max(0, r.y); y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if ((img.getRGB(x, y) & 0xFF) < 100) {
                    n++;
                }
            }
        }
        return n;
    }
}
