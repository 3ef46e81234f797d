package io.github.captum4j.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * The JShell script and the Jupyter notebook of {@code examples/} run on this build: the quickstart
 * prints Captum's README numbers and the heat map is drawn (a PNG file for JShell, an inline {@code
 * image/png} output for the notebook). The notebook test needs Debian's jupyter-nbconvert and
 * python3-jupyter-client (installed by {@code .ci/run}) and is skipped with a message without them.
 */
class ExampleScriptsTest {

    private static final String README_NUMBERS =
            "-0.5922, -1.5497, -1.0067, 0.0000, -0.2219, -5.1991";
    private static final Path OUT = Path.of("target", "examples").toAbsolutePath();

    private static Path fixtures() {
        return TestModels.fixtures().toAbsolutePath().normalize();
    }

    @Test
    void jshellQuickstartPrintsTheReadmeNumbersAndWritesTheHeatMap() throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        if (!Files.isExecutable(jshell)) {
            jshell =
                    ExampleRuns.onPath("jshell")
                            .orElseThrow(() -> new AssertionError("no jshell in this JDK"));
        }
        Path png = OUT.resolve("jshell-quickstart-heatmap.png");
        Files.deleteIfExists(png);
        ExampleRuns.Result r =
                ExampleRuns.run(
                        List.of(
                                jshell.toString(),
                                "--class-path",
                                ExampleRuns.classPath(),
                                "-R-Dai.djl.offline=true",
                                "-R-Dcaptum4j.fixtures=" + fixtures(),
                                "-R-Dcaptum4j.out=" + png,
                                ExampleRuns.EXAMPLES.resolve("jshell/quickstart.jsh").toString()),
                        Map.of(),
                        OUT.resolve("jshell.log"),
                        300);
        assertThat(r.exitStatus()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("IG attributions: [" + README_NUMBERS + "]")
                .contains("wrote " + png + " (900x350)")
                .doesNotContain("Exception", "Error:");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(350);
    }

    @Test
    void notebookExecutesHeadlesslyWithTheHeatMapInline() throws Exception {
        assumeTrue(
                ExampleRuns.onPath("jupyter-nbconvert").isPresent(),
                "notebook test skipped: jupyter-nbconvert is not installed"
                        + " (apt-get install jupyter-nbconvert python3-jupyter-client)");
        Path jupyter = OUT.resolve("jupyter");
        Map<String, String> env =
                Map.of(
                        "JUPYTER_PATH", jupyter.resolve("share/jupyter").toString(),
                        "JUPYTER_DATA_DIR", jupyter.resolve("data").toString(),
                        "JUPYTER_RUNTIME_DIR", jupyter.resolve("runtime").toString(),
                        "JUPYTER_CONFIG_DIR", jupyter.resolve("config").toString(),
                        "CAPTUM4J_FIXTURES", fixtures().toString());
        ExampleRuns.Result install =
                ExampleRuns.run(
                        List.of(
                                "bash",
                                ExampleRuns.EXAMPLES
                                        .resolve("notebooks/install-kernel.sh")
                                        .toString(),
                                "--prefix",
                                jupyter.toString(),
                                "--classpath",
                                ExampleRuns.classPath()),
                        env,
                        OUT.resolve("install-kernel.log"),
                        480);
        assumeTrue(
                !install.output().contains("jupyter_client is not installed"),
                "notebook test skipped: python3-jupyter-client is not installed");
        assertThat(install.exitStatus()).as(install.output()).isZero();
        assertThat(jupyter.resolve("share/jupyter/kernels/captum4j/kernel.json")).exists();

        ExampleRuns.Result run =
                ExampleRuns.run(
                        List.of(
                                "jupyter-nbconvert",
                                "--to",
                                "notebook",
                                "--execute",
                                "--ExecutePreprocessor.timeout=300",
                                "--output-dir",
                                OUT.toString(),
                                "--output",
                                "captum4j-quickstart.executed.ipynb",
                                ExampleRuns.EXAMPLES
                                        .resolve("notebooks/captum4j-quickstart.ipynb")
                                        .toString()),
                        env,
                        OUT.resolve("nbconvert.log"),
                        480);
        assertThat(run.exitStatus()).as(run.output()).isZero();

        JsonObject nb =
                JsonParser.parseString(
                                Files.readString(
                                        OUT.resolve("captum4j-quickstart.executed.ipynb"),
                                        StandardCharsets.UTF_8))
                        .getAsJsonObject();
        StringBuilder stdout = new StringBuilder();
        List<String> pngs = new ArrayList<>();
        StringBuilder html = new StringBuilder();
        for (JsonElement cell : nb.getAsJsonArray("cells")) {
            JsonObject c = cell.getAsJsonObject();
            if (!c.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            for (JsonElement o : c.getAsJsonArray("outputs")) {
                JsonObject out = o.getAsJsonObject();
                String type = out.get("output_type").getAsString();
                assertThat(type).as("cell output %s", out).isNotEqualTo("error");
                if (type.equals("stream") && out.get("name").getAsString().equals("stdout")) {
                    stdout.append(text(out.get("text")));
                } else if (out.has("data")) {
                    JsonObject data = out.getAsJsonObject("data");
                    if (data.has("image/png")) {
                        pngs.add(text(data.get("image/png")));
                    }
                    if (data.has("text/html")) {
                        html.append(text(data.get("text/html")));
                    }
                }
            }
        }
        assertThat(stdout.toString()).contains(README_NUMBERS.replace(",", ""));
        assertThat(pngs).hasSize(1);
        byte[] png = Base64.getMimeDecoder().decode(pngs.get(0));
        Files.write(OUT.resolve("notebook-heatmap.png"), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(350);
        assertThat(html.toString()).contains("wonderful").contains("Word Importance");
    }

    private static String text(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            e.getAsJsonArray().forEach(x -> sb.append(x.getAsString()));
            return sb.toString();
        }
        return e.getAsString();
    }
}
