package io.github.captum4j.viz.global;

import io.github.captum4j.viz.Png;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rendered global plot: the same drawing as a raster ({@link #image()}, {@link #writePng}) and as
 * SVG ({@link #svg()}, {@link #writeSvg}, {@link #html()}).
 *
 * <pre>{@code
 * Plot bars = GlobalPlots.meanAbsBarChart(names, meanAbs);
 * bars.writePng(Path.of("importance.png"));
 * bars.writeSvg(Path.of("importance.svg"));
 * }</pre>
 */
public final class Plot {
    private final BufferedImage image;
    private final String svg;

    Plot(Canvas canvas) {
        this.image = canvas.image();
        this.svg = canvas.svg();
    }

    /**
     * The raster picture.
     *
     * @return the image (shared, do not modify)
     */
    public BufferedImage image() {
        return image;
    }

    /**
     * The SVG document.
     *
     * @return the SVG text
     */
    public String svg() {
        return svg;
    }

    /**
     * A standalone HTML page holding the SVG.
     *
     * @return the HTML text
     */
    public String html() {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
                + svg
                + "</body></html>\n";
    }

    /**
     * Writes the PNG.
     *
     * @param file the target
     * @return the file
     */
    public Path writePng(Path file) {
        return write(file, Png.encode(image));
    }

    /**
     * Writes the SVG.
     *
     * @param file the target
     * @return the file
     */
    public Path writeSvg(Path file) {
        return write(file, svg.getBytes(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
