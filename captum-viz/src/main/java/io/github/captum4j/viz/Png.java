package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;

/**
 * PNG encoding of pictures through the JDK's {@link ImageIO}.
 *
 * <pre>{@code
 * String uri = Png.dataUri(ImageVisualization.renderImageAttr(attr, image, options));
 * }</pre>
 */
public final class Png {

    private Png() {}

    /**
     * Encodes a picture as PNG.
     *
     * @param image the picture
     * @return the PNG file's bytes
     */
    public static byte[] encode(RenderedImage image) {
        Checks.notNull(image, "image");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Checks.state(ImageIO.write(image, "png", bytes), "this JDK has no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Encodes a picture as a {@code data:image/png;base64,...} URI, for HTML.
     *
     * @param image the picture
     * @return the URI
     */
    public static String dataUri(RenderedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(encode(image));
    }
}
