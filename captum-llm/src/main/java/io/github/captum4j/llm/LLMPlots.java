package io.github.captum4j.llm;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Captum's LLM plots drawn with Java2D: {@code plot_token_attr} (heat map, the nine-colour
 * diverging scale Captum uses, symmetric around 0, values in the cells, input tokens on top) and
 * {@code plot_seq_attr} (bars, blue positive, red negative); an HTML rendering of both.
 *
 * <p>Not API (reached through {@link LLMAttributionResult}).
 */
final class LLMPlots {

    /** Captum's colours, most negative to most positive. */
    private static final int[] SCALE = {
        0x93003a, 0xd0365b, 0xf57789, 0xffbdc3, 0xffffff, 0xa4d6e1, 0x73a3ca, 0x4772b3, 0x00429d
    };

    private static final int CELL_W = 72;
    private static final int CELL_H = 30;
    private static final int MARGIN = 12;

    private LLMPlots() {}

    /** The colour of {@code v} on the scale over {@code [-max, max]}. */
    static Color colour(float v, float max) {
        double t = max == 0 ? 0.5 : Math.max(0, Math.min(1, (v / max + 1) / 2));
        double pos = t * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) Math.floor(pos));
        double f = pos - i;
        int a = SCALE[i];
        int b = SCALE[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return new Color(r, g, bl);
    }

    static float maxAbs(float[][] rows) {
        float max = 0;
        for (float[] row : rows) {
            for (float v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    static void tokenHeatMap(float[][] attr, List<String> in, List<String> out, Path png)
            throws IOException {
        float max = maxAbs(attr);
        int left = labelWidth(out) + MARGIN;
        int top = labelWidth(in) + MARGIN;
        int width = left + in.size() * CELL_W + 130;
        int height = top + out.size() * CELL_H + MARGIN;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        FontMetrics fm = g.getFontMetrics();
        for (int r = 0; r < out.size(); r++) {
            int y = top + r * CELL_H;
            g.setColor(Color.BLACK);
            g.drawString(out.get(r), left - MARGIN / 2 - fm.stringWidth(out.get(r)), y + CELL_H / 2 + 5);
            for (int c = 0; c < in.size(); c++) {
                int x = left + c * CELL_W;
                Color fill = colour(attr[r][c], max);
                g.setColor(fill);
                g.fillRect(x, y, CELL_W, CELL_H);
                String v = String.format(Locale.ROOT, "%.2f", attr[r][c]);
                g.setColor(luminance(fill) < 0.5 ? Color.WHITE : Color.BLACK);
                g.drawString(v, x + (CELL_W - fm.stringWidth(v)) / 2, y + CELL_H / 2 + 5);
            }
        }
        g.setColor(Color.BLACK);
        for (int c = 0; c < in.size(); c++) {
            AffineTransform saved = g.getTransform();
            g.translate(left + c * CELL_W + CELL_W / 2, top - MARGIN / 2);
            g.rotate(-Math.PI / 6);
            g.drawString(in.get(c), 0, 0);
            g.setTransform(saved);
        }
        colourBar(g, left + in.size() * CELL_W + 20, top, out.size() * CELL_H, max);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    static void seqBars(float[] attr, List<String> in, Path png) throws IOException {
        float max = maxAbs(new float[][] {attr});
        int plotH = 240;
        int top = MARGIN * 2;
        int bottom = labelWidth(in) + MARGIN;
        int left = 70;
        int width = left + in.size() * CELL_W + MARGIN;
        BufferedImage image =
                new BufferedImage(width, top + plotH + bottom, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        int zero = top + plotH / 2;
        g.setColor(Color.GRAY);
        g.drawLine(left, zero, width - MARGIN, zero);
        g.drawString(String.format(Locale.ROOT, "%.2f", max), 4, top + 5);
        g.drawString(String.format(Locale.ROOT, "%.2f", -max), 4, top + plotH);
        for (int c = 0; c < attr.length; c++) {
            int h = max == 0 ? 0 : Math.round(attr[c] / max * (plotH / 2f));
            int x = left + c * CELL_W + 8;
            g.setColor(attr[c] >= 0 ? new Color(SCALE[7]) : new Color(SCALE[1]));
            g.fillRect(x, h >= 0 ? zero - h : zero, CELL_W - 16, Math.abs(h));
            g.setColor(Color.BLACK);
            AffineTransform saved = g.getTransform();
            g.translate(x + CELL_W / 2 - 8, top + plotH + MARGIN);
            g.rotate(Math.PI / 6);
            g.drawString(in.get(c), 0, 0);
            g.setTransform(saved);
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    static String html(float[] seq, float[][] tokens, List<String> in, List<String> out) {
        StringBuilder s = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<style>td,th{padding:4px 8px;font-family:monospace;text-align:center}"
                + " .tok{padding:2px 4px;margin:1px;border-radius:3px}</style></head><body>");
        float max = maxAbs(new float[][] {seq});
        s.append("<h3>Sequence attribution</h3><p>");
        for (int c = 0; c < in.size(); c++) {
            s.append("<span class=\"tok\" title=\"")
                    .append(String.format(Locale.ROOT, "%.4f", seq[c]))
                    .append("\" style=\"background:")
                    .append(hex(colour(seq[c], max)))
                    .append("\">")
                    .append(escape(in.get(c)))
                    .append("</span> ");
        }
        s.append("</p>");
        if (tokens != null) {
            float tmax = maxAbs(tokens);
            s.append("<h3>Token attribution</h3><table><tr><th></th>");
            for (String t : in) {
                s.append("<th>").append(escape(t)).append("</th>");
            }
            s.append("</tr>");
            for (int r = 0; r < out.size(); r++) {
                s.append("<tr><th>").append(escape(out.get(r))).append("</th>");
                for (int c = 0; c < in.size(); c++) {
                    s.append("<td style=\"background:")
                            .append(hex(colour(tokens[r][c], tmax)))
                            .append("\">")
                            .append(String.format(Locale.ROOT, "%.2f", tokens[r][c]))
                            .append("</td>");
                }
                s.append("</tr>");
            }
            s.append("</table>");
        }
        return s.append("</body></html>").toString();
    }

    private static void colourBar(Graphics2D g, int x, int y, int h, float max) {
        for (int i = 0; i < h; i++) {
            g.setColor(colour(max * (1 - 2f * i / Math.max(1, h - 1)), max));
            g.drawLine(x, y + i, x + 14, y + i);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x, y, 14, h);
        g.drawString(String.format(Locale.ROOT, "%.2f", max), x + 18, y + 10);
        g.drawString(String.format(Locale.ROOT, "%.2f", -max), x + 18, y + h);
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static int labelWidth(List<String> labels) {
        int max = 0;
        for (String l : labels) {
            max = Math.max(max, l.length());
        }
        return Math.min(300, 8 * max + 10);
    }

    private static double luminance(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
    }

    private static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
