package io.github.captum4j.viz;

import io.github.captum4j.core.internal.Checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Text attributions as Captum's {@code visualize_text} draws them: an HTML table with one row per
 * {@link VisualizationDataRecord} (true label, predicted label and probability, attributed label,
 * attribution score, convergence score) and the tokens highlighted green for positive and red for
 * negative attributions, with a legend.
 *
 * <p>A token's colour for an attribution \( a \) clipped to \( [-1, 1] \) is Captum's {@code
 * hsl(120, 75%, (100 - \lfloor 50 a \rfloor)%)} for \( a > 0 \) and {@code hsl(0, 75%, (100 -
 * \lfloor 40 |a| \rfloor)%)} otherwise. Tokens such as {@code <pad>} are shown as {@code #pad}, as
 * Captum shows them. Unlike Captum, every text is HTML-escaped, and the convergence score gets a
 * column of its own.
 *
 * <pre>{@code
 * String html = TextVisualization.visualizeText(List.of(record));
 * TextVisualization.writeHtml(Path.of("text.html"), List.of(record), true);
 * }</pre>
 */
public final class TextVisualization {

    private TextVisualization() {}

    /**
     * The HTML table with a legend.
     *
     * @param records the examples
     * @return an HTML fragment
     */
    public static String visualizeText(List<VisualizationDataRecord> records) {
        return visualizeText(records, true);
    }

    /**
     * The HTML table (Captum's {@code visualize_text}).
     *
     * @param records the examples
     * @param legend whether to add the colour legend
     * @return an HTML fragment
     */
    public static String visualizeText(List<VisualizationDataRecord> records, boolean legend) {
        Checks.notNull(records, "records");
        StringBuilder html = new StringBuilder("<table style=\"width: 100%\">");
        if (legend) {
            html.append(
                    "<div style=\"border-top: 1px solid; margin-top: 5px; padding-top: 5px;"
                            + " display: inline-block\"><b>Legend: </b>");
            String[] labels = {"Negative", "Neutral", "Positive"};
            for (int i = 0; i < 3; i++) {
                html.append("<span style=\"display: inline-block; width: 10px; height: 10px;")
                        .append(" border: 1px solid; background-color: ")
                        .append(color(i - 1))
                        .append("\"></span> ")
                        .append(labels[i])
                        .append("  ");
            }
            html.append("</div>");
        }
        html.append(
                "<tr><th>True Label</th><th>Predicted Label</th><th>Attribution Label</th>"
                        + "<th>Attribution Score</th><th>Convergence Score</th>"
                        + "<th>Word Importance</th></tr>");
        for (int i = 0; i < records.size(); i++) {
            VisualizationDataRecord r = records.get(i);
            Checks.argument(r != null, "records[%s] must not be null", i);
            html.append("<tr>")
                    .append(classCell(r.trueClass()))
                    .append(classCell(r.predClass() + " (" + twoDecimals(r.predProb()) + ")"))
                    .append(classCell(r.attrClass()))
                    .append(classCell(twoDecimals(r.attrScore())))
                    .append(
                            classCell(
                                    String.format(
                                            java.util.Locale.ROOT, "%.2e", r.convergenceScore())))
                    .append(words(r.rawInputIds(), r.wordAttributions()))
                    .append("</tr>");
        }
        return html.append("</table>").toString();
    }

    /**
     * Writes the table as a complete HTML page.
     *
     * @param file the file to write (replaced if it exists)
     * @param records the examples
     * @param legend whether to add the colour legend
     * @return the same path
     */
    public static Path writeHtml(Path file, List<VisualizationDataRecord> records, boolean legend) {
        Checks.notNull(file, "file");
        String page =
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>captum4j text"
                        + " attributions</title></head><body>\n"
                        + visualizeText(records, legend)
                        + "\n</body></html>\n";
        try {
            Files.writeString(file, page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    /**
     * Captum's token colour ({@code _get_color}).
     *
     * @param attribution the attribution, clipped to [-1, 1]
     * @return a CSS {@code hsl(...)} colour
     */
    public static String color(float attribution) {
        float a = Math.max(-1f, Math.min(1f, attribution));
        if (a > 0) {
            return "hsl(120, 75%, " + (100 - (int) (50f * a)) + "%)";
        }
        return "hsl(0, 75%, " + (100 - (int) (-40f * a)) + "%)";
    }

    /** Python's {@code "{:.2f}"}: the exact binary value rounded half-even. */
    static String twoDecimals(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String classCell(String text) {
        return "<td><text style=\"padding-right:2em\"><b>" + escape(text) + "</b></text></td>";
    }

    private static String words(List<String> tokens, float[] importances) {
        if (importances.length == 0) {
            return "<td></td>";
        }
        StringBuilder td = new StringBuilder("<td>");
        for (int i = 0; i < tokens.size(); i++) {
            td.append("<mark style=\"background-color: ")
                    .append(color(importances[i]))
                    .append("; opacity:1.0; line-height:1.75\"><font color=\"black\"> ")
                    .append(escape(specialToken(tokens.get(i))))
                    .append(" </font></mark>");
        }
        return td.append("</td>").toString();
    }

    /** Captum's {@code format_special_tokens}: {@code <pad>} becomes {@code #pad}. */
    private static String specialToken(String token) {
        if (token.startsWith("<") && token.endsWith(">")) {
            int start = 0;
            int end = token.length();
            while (start < end && (token.charAt(start) == '<' || token.charAt(start) == '>')) {
                start++;
            }
            while (end > start && (token.charAt(end - 1) == '<' || token.charAt(end - 1) == '>')) {
                end--;
            }
            return "#" + token.substring(start, end);
        }
        return token;
    }

    /**
     * Escapes text for HTML element content and attribute values.
     *
     * @param text the text
     * @return the escaped text
     */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
