package io.github.captum4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Ticks, labels and legends of line plots, outside (ticks, labels) or in a corner (legend) of a
 * panel, so they never cover the data area's pixels except the legend box. Not API.
 */
final class Axis {

    private static final double TICK_POINTS = 10;
    private static final double TICK_LENGTH_POINTS = 3.5;

    private Axis() {}

    /**
     * About five round tick values in {@code [lo, hi]}: multiples of 1, 2, 2.5 or 5 times a power
     * of ten, as matplotlib's default locator picks them.
     */
    static List<Double> ticks(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power * 10;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= raw) {
                step = m * power;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return out;
    }

    static String label(double v) {
        return new BigDecimal(String.format(java.util.Locale.ROOT, "%.6g", v))
                .stripTrailingZeros()
                .toPlainString();
    }

    static void xTicks(Graphics2D g, Rectangle r, double lo, double hi, int dpi) {
        Font font = FigureRenderer.font(TICK_POINTS, dpi);
        g.setFont(font);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        int len = (int) Math.round(TICK_LENGTH_POINTS * dpi / 72);
        for (double v : ticks(lo, hi)) {
            int x = (int) Math.round(r.x + (v - lo) / (hi - lo) * r.width);
            g.drawLine(x, r.y + r.height, x, r.y + r.height + len);
            String s = label(v);
            g.drawString(s, x - fm.stringWidth(s) / 2, r.y + r.height + len + fm.getAscent());
        }
    }

    static void yTicks(Graphics2D g, Rectangle r, double[] range, int dpi) {
        g.setFont(FigureRenderer.font(TICK_POINTS, dpi));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        int len = (int) Math.round(TICK_LENGTH_POINTS * dpi / 72);
        for (double v : ticks(range[0], range[1])) {
            int y = (int) Math.round(r.y + (range[1] - v) / (range[1] - range[0]) * r.height);
            // Ticks at a panel's edge would be drawn twice between stacked panels.
            if (y <= r.y + 1 || y >= r.y + r.height - 1) {
                continue;
            }
            g.drawLine(r.x - len, y, r.x, y);
            String s = label(v);
            g.drawString(s, r.x - len - 2 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
    }

    /** A label rotated by 90 degrees, left of the tick labels, centred on the panel. */
    static void yLabel(Graphics2D g, Rectangle r, String label, int dpi) {
        Font font = FigureRenderer.font(TICK_POINTS, dpi);
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.setFont(font);
            rotated.setColor(Color.BLACK);
            FontMetrics fm = rotated.getFontMetrics();
            int x = r.x - (int) Math.round(0.55 * dpi);
            int y = r.y + r.height / 2 + fm.stringWidth(label) / 2;
            rotated.transform(AffineTransform.getRotateInstance(-Math.PI / 2, x, y));
            rotated.drawString(label, x, y);
        } finally {
            rotated.dispose();
        }
    }

    /** A legend box in the panel's upper right corner: a line sample and a label per channel. */
    static void legend(Graphics2D g, Rectangle r, List<String> labels, int[] colours, int dpi) {
        g.setFont(FigureRenderer.font(TICK_POINTS, dpi));
        FontMetrics fm = g.getFontMetrics();
        int sample = (int) Math.round(0.25 * dpi);
        int pad = Math.max(2, dpi / 20);
        int widest = 0;
        for (String l : labels) {
            widest = Math.max(widest, fm.stringWidth(l));
        }
        int w = pad * 3 + sample + widest;
        int h = pad * 2 + labels.size() * fm.getHeight();
        int x = r.x + r.width - w - pad;
        int y = r.y + pad;
        g.setColor(Color.WHITE);
        g.fillRect(x, y, w, h);
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(x, y, w, h);
        for (int i = 0; i < labels.size(); i++) {
            int base = y + pad + i * fm.getHeight();
            g.setColor(new Color(colours[i % colours.length]));
            g.fillRect(x + pad, base + fm.getHeight() / 2 - 1, sample, 2);
            g.setColor(Color.BLACK);
            g.drawString(labels.get(i), x + 2 * pad + sample, base + fm.getAscent());
        }
    }
}
