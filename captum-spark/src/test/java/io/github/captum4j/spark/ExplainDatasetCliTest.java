package io.github.captum4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** explain-dataset end to end on an embedded local[1] Spark: CSV in, Parquet + report out. */
class ExplainDatasetCliTest {

    @Test
    void csvInParquetAndReportOutWithTheSummaryOfTheAttributions(@TempDir Path dir) throws Exception {
        int rows = 300;
        SplittableRandom random = new SplittableRandom(5);
        float[][] x = new float[rows][10];
        int[] labels = new int[rows];
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 10; j++) {
            csv.append("f").append(j).append(',');
        }
        csv.append("label\n");
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 10; j++) {
                x[r][j] = (float) random.nextGaussian();
                csv.append(x[r][j]).append(',');
            }
            labels[r] = random.nextInt(3);
            csv.append(labels[r]).append('\n');
        }
        Path input = Files.writeString(dir.resolve("rows.csv"), csv);
        Path output = dir.resolve("out.parquet");
        Map<String, String> options = new HashMap<>();
        options.put("input", input.toString());
        options.put("model", TestModels.model("tabular_mlp.pt").toString());
        options.put("output", output.toString());
        options.put("target-column", "label");
        options.put("master", "local[1]");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        Path report = ExplainDatasetCli.run(options, new PrintStream(table, true, StandardCharsets.UTF_8));

        assertThat(table.toString(StandardCharsets.UTF_8)).contains("| feature | mean(|attr|)").contains("300 rows");
        for (String file : List.of("summary.md", "summary.csv", "importance.png", "importance.svg", "beeswarm.png", "beeswarm.svg")) {
            assertThat(report.resolve(file)).isNotEmptyFile();
        }
        assertThat(Files.list(output).anyMatch(p -> p.toString().endsWith(".parquet"))).isTrue();

        // mean |IG| per feature of the same rows attributed in this process
        double[] meanAbs = new double[10];
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel model = TorchScriptModel.load(TestModels.model("tabular_mlp.pt"));
                Attribution a =
                        new IntegratedGradients(model)
                                .attribute(Inputs.of(manager.create(x)), Target.perExample(labels))) {
            float[] flat = a.attribution(0).toFloatArray();
            for (int i = 0; i < flat.length; i++) {
                meanAbs[i % 10] += Math.abs(flat[i]) / rows;
            }
        }
        List<String> lines = Files.readAllLines(report.resolve("summary.csv"));
        assertThat(lines).hasSize(11);
        for (String line : lines.subList(1, 11)) {
            String[] cells = line.split(",");
            int feature = Integer.parseInt(cells[0].substring(1));
            assertThat(Double.parseDouble(cells[1]))
                    .as(cells[0])
                    .isCloseTo(meanAbs[feature], within(1e-5 * meanAbs[feature] + 1e-9));
        }
    }

    @Test
    void missingRequiredOptionsAreNamed() {
        assertThatThrownBy(() -> ExplainDatasetCli.parse(new String[] {"explain-dataset", "--input", "a.csv"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--model");
    }
}
