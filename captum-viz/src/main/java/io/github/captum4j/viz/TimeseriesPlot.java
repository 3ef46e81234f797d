package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The drawing of one {@link TimeseriesVisualization} figure, with the layout maths its Javadoc
 * states. Not API.
 *
 * @param o the figure's options
 * @param x the time axis
 * @param data one series per channel
 * @param colours one colour per channel
 * @param panels the number of panels (1 when the channels are combined)
 */
record TimeseriesPlot(
        TimeseriesVisualization.Options o,
        double[] x,
        float[][] data,
        int[] colours,
        int panels) {

    /** matplotlib's default subplot box, as fractions of the figure. */
    static final double LEFT = 0.125;

    static final double RIGHT = 0.9;
    static final double TOP = 0.12;
    static final double BOTTOM = 0.89;

    /** matplotlib's {@code lines.linewidth}, in points. */
    static final double LINE_POINTS = 1.5;

    /** matplotlib's first line colour ({@code C0}). */
    static final int C0 = 0x1f77b4;

    /** matplotlib's {@code Dark2} colours, cycled over channels in the combined panel. */
    static final int[] DARK2 = {
        0x1b9e77, 0xd95f02, 0x7570b3, 0xe7298a, 0x66a61e, 0xe6ab02, 0xa6761d, 0x666666
    };

    /** matplotlib's {@code axes.ymargin}. */
    static final double MARGIN = 0.05;

    /** Captum's colour bar: 5% of the axes' height, 0.4 inch below them. */
    static final double COLORBAR_FRACTION = 0.05;

    static final double COLORBAR_PAD_INCHES = 0.4;

    /** The figure's width in pixels. */
    int width() {
        return FigureOptions.pixels(o.figSize().width(), o.dpi());
    }

    /** The figure's height in pixels. */
    int height() {
        return FigureOptions.pixels(o.figSize().height(), o.dpi());
    }

    Figure draw() {
        BufferedImage image = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        List<Rectangle> rects = axes();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width(), height());
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Exact geometry for lines: no antialiasing, no stroke normalisation.
            g.setRenderingHint(
                    RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (int k = 0; k < panels; k++) {
                panel(g, rects.get(k), k, k == panels - 1);
            }
            if (o.title() != null) {
                g.setFont(FigureRenderer.font(12, o.dpi()));
                g.setColor(Color.BLACK);
                FontMetrics fm = g.getFontMetrics();
                Rectangle r = rects.get(0);
                g.drawString(
                        o.title(),
                        r.x + (r.width - fm.stringWidth(o.title())) / 2,
                        r.y - fm.getDescent() - 4);
            }
            if (o.showColorbar()) {
                colorbar(g, rects.get(panels - 1));
            }
        } finally {
            g.dispose();
        }
        return new Figure(image, rects);
    }

    /** The panels' rectangles, top to bottom. */
    List<Rectangle> axes() {
        int left = (int) Math.round(LEFT * width());
        int right = (int) Math.round(RIGHT * width());
        int top = (int) Math.round(TOP * height());
        int bottom = (int) Math.round(BOTTOM * height());
        if (o.showColorbar()) {
            bottom -=
                    colorbarHeight(bottom - top)
                            + (int) Math.round(COLORBAR_PAD_INCHES * o.dpi());
        }
        List<Rectangle> out = new ArrayList<>(panels);
        for (int k = 0; k < panels; k++) {
            int y0 = top + (int) Math.round(k * (bottom - top) / (double) panels);
            int y1 = top + (int) Math.round((k + 1) * (bottom - top) / (double) panels);
            out.add(new Rectangle(left, y0, right - left, y1 - y0));
        }
        return out;
    }

    private void panel(Graphics2D g, Rectangle r, int k, boolean last) {
        double[] yRange = yRange(k);
        Graphics2D clip = (Graphics2D) g.create();
        try {
            clip.clipRect(r.x, r.y, r.width, r.height);
            if (o.method() != TimeseriesVisualizationMethod.COLORED_GRAPH) {
                bands(clip, r, k);
            }
            clip.setStroke(
                    new BasicStroke(
                            (float) (LINE_POINTS * o.dpi() / 72.0),
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_ROUND));
            if (o.method() == TimeseriesVisualizationMethod.OVERLAY_COMBINED) {
                for (int c = 0; c < data.length; c++) {
                    line(clip, r, yRange, data[c], DARK2[c % DARK2.length], null);
                }
            } else if (o.method() == TimeseriesVisualizationMethod.OVERLAY_INDIVIDUAL) {
                line(clip, r, yRange, data[k], C0, null);
            } else {
                line(clip, r, yRange, data[k], 0, k);
            }
        } finally {
            clip.dispose();
        }
        FigureRenderer.frame(g, r, o.dpi());
        Axis.yTicks(g, r, yRange, o.dpi());
        if (last) {
            Axis.xTicks(g, r, x[0], x[x.length - 1], o.dpi());
        }
        List<String> labels = o.channelLabels();
        if (labels != null) {
            if (o.method() == TimeseriesVisualizationMethod.OVERLAY_COMBINED) {
                Axis.legend(g, r, labels, DARK2, o.dpi());
            } else {
                Axis.yLabel(g, r, labels.get(k), o.dpi());
            }
        }
    }

    /** The y-range of panel {@code k}: the data's range with margins, or Captum's 1.2 x. */
    double[] yRange(int k) {
        float[][] rows =
                o.method() == TimeseriesVisualizationMethod.OVERLAY_COMBINED
                        ? data
                        : new float[][] {data[k]};
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float[] row : rows) {
            for (float v : row) {
                Checks.argument(Float.isFinite(v), "data must be finite, got %s", v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double lo;
        double hi;
        if (o.method() == TimeseriesVisualizationMethod.COLORED_GRAPH) {
            lo = 1.2 * min;
            hi = 1.2 * max;
        } else {
            lo = min - MARGIN * (max - min);
            hi = max + MARGIN * (max - min);
        }
        if (!(hi > lo)) { // a constant series: a unit range around it
            lo = min - 0.5;
            hi = max + 0.5;
        }
        return new double[] {lo, hi};
    }

    double px(Rectangle r, double v) {
        return r.x + (v - x[0]) / (x[x.length - 1] - x[0]) * r.width;
    }

    static double py(Rectangle r, double[] yRange, double v) {
        return r.y + (yRange[1] - v) / (yRange[1] - yRange[0]) * r.height;
    }

    private void bands(Graphics2D g, Rectangle r, int k) {
        double half = (x[1] - x[0]) / 2;
        int steps = x.length;
        int offset = o.method() == TimeseriesVisualizationMethod.OVERLAY_COMBINED ? 0 : k * steps;
        for (int t = 0; t < steps; t++) {
            int from = (int) Math.round(px(r, x[t] - half));
            int to = (int) Math.round(px(r, x[t] + half));
            g.setColor(new Color(blendOverWhite(colours[offset + t], o.alphaOverlay())));
            g.fillRect(from, r.y, to - from, r.height);
        }
    }

    /** A polyline; coloured per segment by channel {@code k}'s attributions when given. */
    private void line(
            Graphics2D g, Rectangle r, double[] yRange, float[] ys, int rgb, Integer k) {
        int steps = ys.length;
        g.setColor(new Color(rgb));
        for (int t = 0; t + 1 < steps; t++) {
            if (k != null) {
                g.setColor(new Color(colours[k * steps + t]));
            }
            g.draw(
                    new Line2D.Double(
                            px(r, x[t]),
                            py(r, yRange, ys[t]),
                            px(r, x[t + 1]),
                            py(r, yRange, ys[t + 1])));
        }
    }

    private void colorbar(Graphics2D g, Rectangle last) {
        int barHeight =
                colorbarHeight(
                        (int) Math.round(BOTTOM * height()) - (int) Math.round(TOP * height()));
        Rectangle bar =
                new Rectangle(
                        last.x,
                        last.y + last.height + (int) Math.round(COLORBAR_PAD_INCHES * o.dpi()),
                        last.width,
                        barHeight);
        // Captum draws the bar with the bands' alpha, except for coloured graphs.
        double alpha =
                o.method() == TimeseriesVisualizationMethod.COLORED_GRAPH ? 1 : o.alphaOverlay();
        Colormap faded = alpha == 1 ? o.colormap() : blendedColormap(o.colormap(), alpha);
        FigureRenderer.colorbar(
                g,
                bar,
                faded,
                o.sign().vmin(),
                o.scale() == null ? 1 : o.scale(),
                FigureRenderer.font(10, o.dpi()),
                o.dpi());
    }

    private static int colorbarHeight(int axesHeight) {
        return Math.max(4, (int) Math.round(axesHeight * COLORBAR_FRACTION));
    }

    private static Colormap blendedColormap(Colormap cmap, double alpha) {
        Color[] entries = new Color[Colormap.SIZE];
        for (int i = 0; i < Colormap.SIZE; i++) {
            entries[i] = new Color(blendOverWhite(cmap.entry(i), alpha));
        }
        return Colormap.fromList(cmap.name() + " (alpha " + alpha + ")", entries);
    }

    /**
     * A colour at opacity {@code alpha} over white, rounded per component.
     *
     * @param rgb {@code 0xRRGGBB}
     * @param alpha the opacity
     * @return the blended colour
     */
    static int blendOverWhite(int rgb, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double c = (rgb >> shift) & 0xFF;
            out |= (int) Math.round(alpha * c + (1 - alpha) * 255) << shift;
        }
        return out;
    }
}
