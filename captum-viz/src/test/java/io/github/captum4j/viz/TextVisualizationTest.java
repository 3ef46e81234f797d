package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class TextVisualizationTest {

    private static VisualizationDataRecord record() {
        return new VisualizationDataRecord(
                new float[] {0.5f, -0.25f, 1.5f, 0f},
                0.125,
                "pos",
                "neg",
                "pos",
                1.005,
                List.of("<pad>", "great", "x<script>&y"),
                2.5e-7);
    }

    /** Captum's colours by hand: lightness 100 - int(50 a) for a > 0, 100 - int(40 |a|) else. */
    @Test
    void coloursFollowCaptumsFormula() {
        assertThat(TextVisualization.color(0.5f)).isEqualTo("hsl(120, 75%, 75%)");
        assertThat(TextVisualization.color(1.5f)).isEqualTo("hsl(120, 75%, 50%)");
        assertThat(TextVisualization.color(0.03f)).isEqualTo("hsl(120, 75%, 99%)");
        assertThat(TextVisualization.color(-0.25f)).isEqualTo("hsl(0, 75%, 90%)");
        assertThat(TextVisualization.color(-1f)).isEqualTo("hsl(0, 75%, 60%)");
        assertThat(TextVisualization.color(0f)).isEqualTo("hsl(0, 75%, 100%)");
    }

    @Test
    void rendersOneRowPerRecordWithEscapedTokens() {
        String html = TextVisualization.visualizeText(List.of(record(), record()));
        assertThat(html).startsWith("<table").endsWith("</table>");
        assertThat(html.split("<tr>", -1)).hasSize(4); // header + two records
        assertThat(html)
                .contains("<b>neg</b>")
                .contains("<b>pos (0.12)</b>") // 0.125 rounds half-even, as Python's format
                .contains("<b>1.00</b>") // 1.005 is 1.00499999... in binary
                .contains("<b>2.50e-07</b>")
                .contains("> #pad </font>")
                .contains("> x&lt;script&gt;&amp;y </font>")
                .doesNotContain("<script>")
                .contains("background-color: hsl(120, 75%, 75%)")
                .contains("Legend: ");
        assertThat(TextVisualization.visualizeText(List.of(record()), false))
                .doesNotContain("Legend");
    }

    @Test
    void writesACompletePage(@TempDir Path dir) throws Exception {
        Path file = TextVisualization.writeHtml(dir.resolve("t.html"), List.of(record()), true);
        String page = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("great").endsWith("</html>\n");
    }

    @Test
    void recordsFromArraysAndBadRecords() {
        try (NDManager m = NDManager.newBaseManager()) {
            VisualizationDataRecord r =
                    new VisualizationDataRecord(
                            VisualizationDataRecord.values(m.create(new double[] {0.25, -0.5})),
                            0.9,
                            "a",
                            "a",
                            "a",
                            0.1,
                            List.of("x", "y"),
                            0);
            assertThat(r.wordAttributions()).containsExactly(0.25f, -0.5f);
            assertThat(m.getManagedArrays()).hasSize(1);
        }
        assertThatThrownBy(
                        () ->
                                new VisualizationDataRecord(
                                        new float[1], 0, "a", "a", "a", 0, List.of("x", "y"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rawInputIds must hold at most one token per attribution (1), got 2");
    }
}
