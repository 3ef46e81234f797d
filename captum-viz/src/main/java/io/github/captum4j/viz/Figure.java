package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendered visualisation: the picture (Captum's matplotlib figure) and where each panel's image
 * sits in it. PNG output goes through the JDK's {@link javax.imageio.ImageIO}.
 *
 * <pre>{@code
 * Figure fig = ImageVisualization.visualizeImageAttr(attr, image, options);
 * fig.writePng(Path.of("heat-map.png"));
 * BufferedImage picture = fig.image();   // shown inline by a Jupyter Java kernel
 * }</pre>
 */
public final class Figure {

    private final BufferedImage image;
    private final List<Rectangle> panels;

    Figure(BufferedImage image, List<Rectangle> panels) {
        this.image = image;
        this.panels = List.copyOf(panels);
    }

    /**
     * The picture. Each call returns a copy, so the figure stays unchanged.
     *
     * @return an RGB image of the figure's size
     */
    public BufferedImage image() {
        BufferedImage copy =
                new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
        copy.setData(image.getData());
        return copy;
    }

    /**
     * Width in pixels (figure width in inches times dpi).
     *
     * @return the width
     */
    public int width() {
        return image.getWidth();
    }

    /**
     * Height in pixels.
     *
     * @return the height
     */
    public int height() {
        return image.getHeight();
    }

    /**
     * Where each panel's image was drawn, in figure pixels, left to right: attribution pixel {@code
     * (y, x)} of an {@code H x W} attribution covers {@code [left + x * width / W, left + (x + 1) *
     * width / W)} horizontally, and likewise vertically.
     *
     * @return one rectangle per panel
     */
    public List<Rectangle> panels() {
        List<Rectangle> copy = new ArrayList<>(panels.size());
        for (Rectangle r : panels) {
            copy.add(new Rectangle(r));
        }
        return copy;
    }

    /**
     * The picture as PNG bytes.
     *
     * @return the PNG file's content
     */
    public byte[] toPng() {
        return Png.encode(image);
    }

    /**
     * The picture as a {@code data:image/png;base64,...} URI, for HTML.
     *
     * @return the URI
     */
    public String toDataUri() {
        return Png.dataUri(image);
    }

    /**
     * Writes the picture as a PNG file.
     *
     * @param file the file to write (replaced if it exists)
     * @return the same path
     */
    public Path writePng(Path file) {
        Checks.notNull(file, "file");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(toPng());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    @Override
    public String toString() {
        return "Figure[" + width() + "x" + height() + ", " + panels.size() + " panel(s)]";
    }
}
