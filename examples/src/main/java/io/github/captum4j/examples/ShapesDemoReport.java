package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.VisualizeSign;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The {@code demo} subcommand's report: the table as Markdown and CSV, and the heat-map panel. */
final class ShapesDemoReport {

    /** Images shown in the heat-map panel, and the panel's scale. */
    static final int PANEL_IMAGES = 4;

    private static final int PANEL_SCALE = 4;

    /** The layers the sanity check re-initialises, top layer first. */
    static final String[] LAYERS_TOP_DOWN = {"fc2", "fc1", "conv2", "conv1"};

    /**
     * One row of the report; {@code NaN} (and {@code null} arrays) where a score does not apply.
     *
     * @param method the method's name
     * @param seconds time of the attribution
     * @param pointing mean pointing game
     * @param mass mean relevance mass
     * @param rank mean relevance rank accuracy
     * @param infidelity mean normalised infidelity
     * @param sensitivity mean sensitivityMax
     * @param sanity Spearman correlation per cascading-randomisation step
     * @param panelAttribution the attribution of the panel's images
     */
    record Row(
            String method,
            double seconds,
            double pointing,
            double mass,
            double rank,
            double infidelity,
            double sensitivity,
            double[] sanity,
            NDArray panelAttribution) {}

    private ShapesDemoReport() {}

    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| method | time s | pointing game | relevance mass | rank accuracy | infidelity"
                        + " (norm.) | sensitivityMax | sanity ρ: fc2 / +fc1 / +conv2 / +conv1"
                        + " randomised |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            List<String> cells = cells(r, r.method(), "%.3f", "%.3f", "%.4g", " / ", "%.2f");
            sb.append("| ").append(String.join(" | ", cells)).append(" |");
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    static String csv(List<Row> rows) {
        StringBuilder sb =
                new StringBuilder(
                        "method,time_s,pointing_game,relevance_mass,rank_accuracy,infidelity_normalized,sensitivity_max,sanity_fc2,sanity_fc1,sanity_conv2,sanity_conv1\n");
        for (Row r : rows) {
            String method = "\"" + r.method() + "\"";
            sb.append(String.join(",", cells(r, method, "%.5f", "%.5f", "%.6g", ",", "%.5f")));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** A row's cells: time and sensitivity in the format {@code time}, scores in {@code score}. */
    private static List<String> cells(
            Row r,
            String method,
            String time,
            String score,
            String infidelity,
            String sanitySeparator,
            String sanityFormat) {
        return List.of(
                method,
                fmt(r.seconds(), time),
                String.format(Locale.ROOT, score, r.pointing()),
                String.format(Locale.ROOT, score, r.mass()),
                String.format(Locale.ROOT, score, r.rank()),
                fmt(r.infidelity(), infidelity),
                fmt(r.sensitivity(), time),
                sanity(r.sanity(), sanitySeparator, sanityFormat));
    }

    private static String sanity(double[] rho, String separator, String format) {
        if (rho == null) {
            return String.join(separator, Collections.nCopies(LAYERS_TOP_DOWN.length, "-"));
        }
        List<String> parts = new ArrayList<>();
        for (double r : rho) {
            parts.add(fmt(r, format));
        }
        return String.join(separator, parts);
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    /**
     * One row per test image (labelled with its class): the image with the object's box outlined,
     * then each method's heat map drawn signed (Captum's heat_map / all: green positive, red
     * negative, each map scaled to its 98th percentile of |attribution|, by captum-viz), with the
     * methods' full names as column titles and the colour bar below.
     */
    static BufferedImage panel(ShapesTask test, List<Row> rows) {
        List<Row> methods = new ArrayList<>();
        for (Row r : rows) {
            if (r.panelAttribution() != null) {
                methods.add(r);
            }
        }
        int cell = ShapesTask.SIZE * PANEL_SCALE;
        int gap = 6;
        int labelWidth = 54;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        List<List<String>> titles = new ArrayList<>();
        titles.add(List.of("input"));
        int lines = 1;
        for (Row r : methods) {
            List<String> t = wrap(r.method(), fm, cell);
            titles.add(t);
            lines = Math.max(lines, t.size());
        }
        int header = lines * fm.getHeight() + 6;
        int barHeight = 12;
        int footer = barHeight + 2 * fm.getHeight() + 12;
        int width = labelWidth + (methods.size() + 1) * (cell + gap);
        int height = header + PANEL_IMAGES * (cell + gap) + footer;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(Color.BLACK);
        for (int j = 0; j < titles.size(); j++) {
            List<String> t = titles.get(j);
            for (int k = 0; k < t.size(); k++) {
                g.drawString(
                        t.get(k), labelWidth + j * (cell + gap), (k + 1) * fm.getHeight());
            }
        }
        ImageVisualization.Options heat =
                ImageVisualization.Options.builder()
                        .method(ImageVisualizationMethod.HEAT_MAP)
                        .sign(VisualizeSign.ALL)
                        .channelLayout(ChannelLayout.CHANNELS_FIRST)
                        .build();
        ImageVisualization.Options original =
                heat.toBuilder().method(ImageVisualizationMethod.ORIGINAL_IMAGE).build();
        for (int i = 0; i < PANEL_IMAGES; i++) {
            int y = header + i * (cell + gap);
            g.setColor(Color.BLACK);
            g.drawString("true:", 2, y + cell / 2 - 2);
            g.drawString(ShapesTask.CLASS_NAMES[test.labels()[i]], 2, y + cell / 2 + fm.getHeight());
            NDArray image = test.images().get(i);
            NDArray normalised = image.sub(image.min()).div(image.max().sub(image.min()));
            drawScaled(
                    g,
                    ImageVisualization.renderImageAttr(normalised, normalised, original),
                    labelWidth,
                    y,
                    cell);
            g.setColor(Color.RED);
            float[] mask = test.masks().get(i).toFloatArray();
            outlineBox(g, mask, labelWidth, y);
            for (int j = 0; j < methods.size(); j++) {
                NDArray a = methods.get(j).panelAttribution().get(i);
                drawScaled(
                        g,
                        ImageVisualization.renderImageAttr(a, null, heat),
                        labelWidth + (j + 1) * (cell + gap),
                        y,
                        cell);
            }
        }
        colourBar(g, test, heat, labelWidth + cell + gap, header + PANEL_IMAGES * (cell + gap),
                Math.min(3 * cell, width - labelWidth - cell - 2 * gap), barHeight, fm);
        g.dispose();
        return out;
    }

    /**
     * The colour bar of the signed heat maps: a ramp from -1 to 1 rendered by the same
     * visualisation (so the colours are exactly those of the maps), with its scale below.
     */
    private static void colourBar(
            Graphics2D g,
            ShapesTask test,
            ImageVisualization.Options heat,
            int x,
            int y,
            int width,
            int height,
            FontMetrics fm) {
        int n = 201;
        float[] ramp = new float[n];
        for (int i = 0; i < n; i++) {
            ramp[i] = -1f + 2f * i / (n - 1);
        }
        try (NDArray values =
                test.images().getManager().create(ramp, new ai.djl.ndarray.types.Shape(1, 1, n))) {
            BufferedImage bar = ImageVisualization.renderImageAttr(values, null, heat);
            g.drawImage(bar, x, y, width, height, null);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, y, width - 1, height - 1);
        int text = y + height + fm.getAscent() + 2;
        g.drawString("-1", x, text);
        g.drawString("0", x + width / 2 - fm.stringWidth("0") / 2, text);
        g.drawString("+1", x + width - fm.stringWidth("+1"), text);
        g.drawString(
                "attribution / its 98th percentile of |attribution| in each map (red negative,"
                        + " green positive)",
                x,
                text + fm.getHeight());
    }

    /** Splits a title into lines no wider than {@code width}, at spaces, commas and brackets. */
    static List<String> wrap(String title, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : title.split("(?<=[ ,(])")) {
            String candidate = line + word;
            if (line.length() > 0 && fm.stringWidth(candidate.strip()) > width) {
                lines.add(line.toString().strip());
                line = new StringBuilder(word);
            } else {
                line.append(word);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString().strip());
        }
        return lines;
    }

    private static void drawScaled(Graphics2D g, BufferedImage image, int x, int y, int size) {
        g.setRenderingHint(
                RenderingHints.KEY_INTERPOLATION,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, x, y, size, size, null);
    }

    private static void outlineBox(Graphics2D g, float[] mask, int x, int y) {
        int minR = ShapesTask.SIZE;
        int minC = ShapesTask.SIZE;
        int maxR = -1;
        int maxC = -1;
        for (int r = 0; r < ShapesTask.SIZE; r++) {
            for (int c = 0; c < ShapesTask.SIZE; c++) {
                if (mask[r * ShapesTask.SIZE + c] > 0) {
                    minR = Math.min(minR, r);
                    minC = Math.min(minC, c);
                    maxR = Math.max(maxR, r);
                    maxC = Math.max(maxC, c);
                }
            }
        }
        g.drawRect(
                x + minC * PANEL_SCALE,
                y + minR * PANEL_SCALE,
                (maxC - minC + 1) * PANEL_SCALE - 1,
                (maxR - minR + 1) * PANEL_SCALE - 1);
    }
}
