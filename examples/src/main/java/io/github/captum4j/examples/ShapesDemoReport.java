package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.ImageVisualizationMethod;
import io.github.captum4j.viz.VisualizeSign;

import java.awt.Color;
import java.awt.Font;
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
     * One row per test image: the image, then each method's heat map of |attribution| (Captum's
     * heat_map / absolute_value with outlier normalisation, drawn by captum-viz), the object's box
     * outlined in the first column.
     */
    static BufferedImage panel(ShapesTask test, List<Row> rows) {
        List<Row> methods = new ArrayList<>();
        for (Row r : rows) {
            if (r.panelAttribution() != null) {
                methods.add(r);
            }
        }
        int cell = ShapesTask.SIZE * PANEL_SCALE;
        int header = 18;
        int gap = 4;
        int width = (methods.size() + 1) * (cell + gap);
        BufferedImage out =
                new BufferedImage(
                        width, header + PANEL_IMAGES * (cell + gap), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.setColor(Color.BLACK);
        g.drawString("input", 2, 12);
        for (int j = 0; j < methods.size(); j++) {
            g.drawString(shortName(methods.get(j).method()), (j + 1) * (cell + gap) + 2, 12);
        }
        ImageVisualization.Options heat =
                ImageVisualization.Options.builder()
                        .method(ImageVisualizationMethod.HEAT_MAP)
                        .sign(VisualizeSign.ABSOLUTE_VALUE)
                        .channelLayout(ChannelLayout.CHANNELS_FIRST)
                        .build();
        ImageVisualization.Options original =
                heat.toBuilder().method(ImageVisualizationMethod.ORIGINAL_IMAGE).build();
        for (int i = 0; i < PANEL_IMAGES; i++) {
            int y = header + i * (cell + gap);
            NDArray image = test.images().get(i);
            NDArray normalised = image.sub(image.min()).div(image.max().sub(image.min()));
            drawScaled(
                    g,
                    ImageVisualization.renderImageAttr(normalised, normalised, original),
                    0,
                    y,
                    cell);
            g.setColor(Color.RED);
            float[] mask = test.masks().get(i).toFloatArray();
            outlineBox(g, mask, 0, y);
            for (int j = 0; j < methods.size(); j++) {
                NDArray a = methods.get(j).panelAttribution().get(i);
                drawScaled(
                        g,
                        ImageVisualization.renderImageAttr(a, null, heat),
                        (j + 1) * (cell + gap),
                        y,
                        cell);
            }
        }
        g.dispose();
        return out;
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

    private static String shortName(String method) {
        return method.length() <= 21 ? method : method.substring(0, 20) + "…";
    }
}
