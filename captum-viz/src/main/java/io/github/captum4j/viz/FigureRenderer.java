package io.github.captum4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lays out panels in one row, as Captum's figures (a 1 x k grid of matplotlib axes): each image
 * scaled with nearest-neighbour sampling and equal aspect into its cell, framed, with its title
 * above and, if asked, a horizontal colour bar below.
 */
final class FigureRenderer {

    /** Points per inch, for font sizes given in points as matplotlib does. */
    private static final double POINTS_PER_INCH = 72.0;

    private static final double TITLE_POINTS = 12.0;
    private static final double TICK_POINTS = 10.0;
    private static final double MARGIN_INCHES = 0.15;
    private static final double GAP_INCHES = 0.3;

    /** Captum: {@code append_axes("bottom", size="5%", pad=0.1)}. */
    private static final double COLORBAR_FRACTION = 0.05;

    private static final double COLORBAR_PAD_INCHES = 0.1;

    /**
     * One panel to draw.
     *
     * @param rgb {@code 0xRRGGBB} per pixel, row-major
     * @param height pixel rows
     * @param width pixel columns
     * @param title the title, or null
     * @param colorbar the colormap of the colour bar, or null for none
     * @param vmin the colour bar's lower end
     * @param tickScale what the colour bar's ends stand for: its ticks are labelled {@code v *
     *     tickScale} (1 for normalised values)
     */
    record Panel(
            int[] rgb,
            int height,
            int width,
            String title,
            Colormap colorbar,
            double vmin,
            double tickScale) {}

    private FigureRenderer() {}

    /**
     * Draws a figure.
     *
     * @param panels the panels, left to right
     * @param widthInches figure width
     * @param heightInches figure height
     * @param dpi pixels per inch
     * @param reserveColorbar whether room is kept for colour bars (also under panels without one)
     * @return the figure
     */
    static Figure render(
            List<Panel> panels,
            double widthInches,
            double heightInches,
            int dpi,
            boolean reserveColorbar) {
        int width = FigureOptions.pixels(widthInches, dpi);
        int height = FigureOptions.pixels(heightInches, dpi);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        List<Rectangle> bounds = new ArrayList<>(panels.size());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Font titleFont = font(TITLE_POINTS, dpi);
            Font tickFont = font(TICK_POINTS, dpi);
            int margin = (int) Math.round(MARGIN_INCHES * dpi);
            int gap = (int) Math.round(GAP_INCHES * dpi);
            boolean anyTitle = panels.stream().anyMatch(p -> p.title() != null);
            int titleHeight = anyTitle ? g.getFontMetrics(titleFont).getHeight() + margin / 2 : 0;
            int tickHeight = g.getFontMetrics(tickFont).getHeight();
            int cellWidth =
                    Math.max(1, (width - 2 * margin - (panels.size() - 1) * gap) / panels.size());
            int top = margin + titleHeight;
            int available = Math.max(1, height - top - margin);
            for (int i = 0; i < panels.size(); i++) {
                Panel p = panels.get(i);
                int imageSpace = available;
                int colorbarPad = (int) Math.round(COLORBAR_PAD_INCHES * dpi);
                if (reserveColorbar) {
                    // Bar height is 5% of the image height; solve for the image height.
                    imageSpace =
                            (int)
                                    ((available - colorbarPad - tickHeight - 4)
                                            / (1 + COLORBAR_FRACTION));
                }
                double scale =
                        Math.min(
                                cellWidth / (double) p.width(),
                                Math.max(1, imageSpace) / (double) p.height());
                int w = Math.max(1, (int) Math.floor(p.width() * scale));
                int h = Math.max(1, (int) Math.floor(p.height() * scale));
                int left = margin + i * (cellWidth + gap) + (cellWidth - w) / 2;
                int blockHeight =
                        reserveColorbar ? h + colorbarPad + barHeight(h) + tickHeight + 4 : h;
                int y = top + Math.max(0, (available - blockHeight) / 2);
                Rectangle r = new Rectangle(left, y, w, h);
                drawPixels(g, p, r);
                frame(g, r, dpi);
                if (p.title() != null) {
                    g.setFont(titleFont);
                    g.setColor(Color.BLACK);
                    FontMetrics fm = g.getFontMetrics();
                    int tw = fm.stringWidth(p.title());
                    g.drawString(p.title(), left + (w - tw) / 2, y - margin / 2 - fm.getDescent());
                }
                if (reserveColorbar && p.colorbar() != null) {
                    Rectangle bar = new Rectangle(left, y + h + colorbarPad, w, barHeight(h));
                    colorbar(g, bar, p.colorbar(), p.vmin(), p.tickScale(), tickFont, dpi);
                }
                bounds.add(r);
            }
        } finally {
            g.dispose();
        }
        return new Figure(image, bounds);
    }

    private static int barHeight(int imageHeight) {
        return Math.max(4, (int) Math.round(imageHeight * COLORBAR_FRACTION));
    }

    static Font font(double points, int dpi) {
        return new Font(
                Font.SANS_SERIF,
                Font.PLAIN,
                Math.max(6, (int) Math.round(points * dpi / POINTS_PER_INCH)));
    }

    /**
     * Nearest-neighbour sampling: destination pixel centre → source pixel, as imshow's "nearest".
     */
    private static void drawPixels(Graphics2D g, Panel p, Rectangle r) {
        int[] out = new int[r.width * r.height];
        for (int y = 0; y < r.height; y++) {
            int sy = (int) ((y + 0.5) * p.height() / r.height);
            for (int x = 0; x < r.width; x++) {
                int sx = (int) ((x + 0.5) * p.width() / r.width);
                out[y * r.width + x] = p.rgb()[sy * p.width() + sx];
            }
        }
        BufferedImage scaled = new BufferedImage(r.width, r.height, BufferedImage.TYPE_INT_RGB);
        scaled.setRGB(0, 0, r.width, r.height, out, 0, r.width);
        g.drawImage(scaled, r.x, r.y, null); // clipped to the figure
    }

    static void frame(Graphics2D g, Rectangle r, int dpi) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(Math.max(1f, (float) (0.8 * dpi / POINTS_PER_INCH))));
        g.drawRect(r.x - 1, r.y - 1, r.width + 1, r.height + 1);
    }

    static void colorbar(
            Graphics2D g,
            Rectangle bar,
            Colormap cmap,
            double vmin,
            double tickScale,
            Font tickFont,
            int dpi) {
        for (int x = 0; x < bar.width; x++) {
            double v = vmin + (1 - vmin) * (x + 0.5) / bar.width;
            g.setColor(new Color(cmap.rgb((v - vmin) / (1 - vmin))));
            g.fillRect(bar.x + x, bar.y, 1, bar.height);
        }
        frame(g, bar, dpi);
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        int ticks = vmin < 0 ? 5 : 6;
        for (int t = 0; t < ticks; t++) {
            double v = vmin + (1 - vmin) * t / (ticks - 1);
            int x = bar.x + (int) Math.round((bar.width - 1) * t / (double) (ticks - 1));
            g.drawLine(x, bar.y + bar.height, x, bar.y + bar.height + 3);
            String label =
                    tickScale == 1
                            ? String.format(Locale.ROOT, "%.1f", v)
                            : String.format(Locale.ROOT, "%.3g", v * tickScale);
            g.drawString(
                    label, x - fm.stringWidth(label) / 2, bar.y + bar.height + 3 + fm.getAscent());
        }
    }
}
