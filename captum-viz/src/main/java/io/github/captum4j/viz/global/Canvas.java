package io.github.captum4j.viz.global;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * The few drawing operations the global plots use, drawn once into a raster (PNG) and into SVG
 * text (not API). Coordinates in pixels, origin top left.
 */
final class Canvas {
    enum Anchor {
        START,
        MIDDLE,
        END
    }

    private final int width;
    private final int height;
    private final BufferedImage image;
    private final Graphics2D g;
    private final StringBuilder svg = new StringBuilder();

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        svg.append(
                        String.format(
                                Locale.ROOT,
                                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
                                width,
                                height,
                                width,
                                height))
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    void rect(double x, double y, double w, double h, Color fill) {
        g.setColor(fill);
        g.fill(new Rectangle2D.Double(x, y, w, h));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                        x,
                        y,
                        w,
                        h,
                        hex(fill)));
    }

    void dot(double cx, double cy, double r, Color fill) {
        g.setColor(fill);
        g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" fill=\"%s\"/>\n",
                        cx,
                        cy,
                        r,
                        hex(fill)));
    }

    void line(double x1, double y1, double x2, double y2, Color stroke) {
        g.setColor(stroke);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                        x1,
                        y1,
                        x2,
                        y2,
                        hex(stroke)));
    }

    void text(double x, double y, String s, int size, Anchor anchor, Color color) {
        g.setColor(color);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
        double w = g.getFontMetrics().stringWidth(s);
        double dx = anchor == Anchor.START ? 0 : anchor == Anchor.MIDDLE ? -w / 2 : -w;
        g.drawString(s, (float) (x + dx), (float) (y + size / 3.0));
        String a = anchor == Anchor.START ? "start" : anchor == Anchor.MIDDLE ? "middle" : "end";
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%d\" text-anchor=\"%s\""
                                + " dominant-baseline=\"middle\" fill=\"%s\">%s</text>\n",
                        x,
                        y,
                        size,
                        a,
                        hex(color),
                        escape(s)));
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    BufferedImage image() {
        return image;
    }

    String svg() {
        return svg + "</svg>\n";
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
