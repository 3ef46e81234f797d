package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tools/export_taps.py} with Debian's {@code /usr/bin/python3} when it can import torch
 * (skipped otherwise): the TorchScript module it writes has the committed taps and values, and the
 * {@code .npz} + {@code .json} form it writes imports as a Block model reproducing the fixture's
 * output.
 */
class ExportTapsToolTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    static boolean torchAvailable() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p =
                    new ProcessBuilder(PYTHON.toString(), "-c", "import torch")
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path fixtures() {
        return Fixtures.modelJson("toy").getParent().getParent().toAbsolutePath().normalize();
    }

    private static void export(Path out, String model) throws IOException, InterruptedException {
        Path root = fixtures().getParent();
        Process p =
                new ProcessBuilder(
                                PYTHON.toString(),
                                root.resolve("tools/export_taps.py").toString(),
                                "--models-def",
                                fixtures().resolve("models_def.py").toString(),
                                "--model",
                                model,
                                "--out",
                                out.toString(),
                                "--npz-json")
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(log).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
    }

    @Test
    @EnabledIf("torchAvailable")
    void theHelperRegeneratesTheCommittedTapsAndAnImportableModel(@TempDir Path out)
            throws Exception {
        export(out, "tiny_resnet");
        JsonObject json = Fixtures.read(Fixtures.modelJson("tiny_resnet"));
        try (NDManager m = NDManager.newBaseManager();
                TorchScriptModel fresh = TorchScriptModel.load(out.resolve("tiny_resnet.pt"));
                TorchScriptModel committed =
                        TorchScriptModel.load(fixtures().resolve("taps/tiny_resnet.pt"));
                ImportedModel imported = ImportedModel.load(out.resolve("tiny_resnet.json"), m)) {
            assertThat(fresh.layerNames()).isEqualTo(committed.layerNames());
            NDList x = Fixtures.verifyInputs(json, m);
            NDArray expected = Fixtures.verifyOutput(json, m);
            assertThat(Fixtures.maxAbsDiff(fresh.forward(x, List.of()), expected)).isLessThan(1e-5);
            assertThat(
                            Fixtures.maxAbsDiff(
                                    imported.forwardFunction().forward(x, List.of()), expected))
                    .isLessThan(1e-5);
            List<LayerPath> layer = List.of(LayerPath.of("layer3.1.conv2"));
            try (LayerTap a = fresh.tap(layer, TapSite.OUTPUT);
                    LayerTap b = committed.tap(layer, TapSite.OUTPUT)) {
                assertThat(
                                Fixtures.maxAbsDiff(
                                        Gradients.layerValues(a, x, List.of()).get(0),
                                        Gradients.layerValues(b, x, List.of()).get(0)))
                        // the same weights through two exports of the graph: equal up to float
                        // rounding (oneDNN may pick another kernel order per module)
                        .isLessThan(1e-5);
            }
        }
    }

    /** A Conv1d / LayerNorm / GELU / residual model defined in the script, and its export. */
    private static final String SMALL_MODEL =
            String.join(
                    "\n",
                    "import sys, numpy as np, torch, torch.nn as nn",
                    "sys.path.insert(0, sys.argv[1])",
                    "from export_taps import export_npz_json",
                    "class Small(nn.Module):",
                    "    def __init__(self, bad):",
                    "        super().__init__()",
                    "        self.conv = nn.Conv1d(4, 6, 3, padding=1)",
                    "        self.body = nn.Sequential(nn.LayerNorm(10), nn.PReLU() if bad else nn.GELU())",
                    "        self.fc = nn.Linear(60, 2)",
                    "    def forward(self, x):",
                    "        h = self.conv(x)",
                    "        h = h + self.body(h)",
                    "        return self.fc(torch.flatten(h, 1))",
                    "torch.manual_seed(3)",
                    "bad = sys.argv[4] == 'bad'",
                    "m = Small(bad).eval()",
                    "x = torch.randn(3, 4, 10)",
                    "export_npz_json(m, (x,), 'small', sys.argv[2])",
                    "with torch.no_grad():",
                    "    np.savez(sys.argv[3] + '/reference.npz', x=x.numpy(), y=m(x).numpy())");

    private static String exportSmall(Path script, Path out, String variant) throws Exception {
        Files.writeString(script.resolve("small.py"), SMALL_MODEL, StandardCharsets.UTF_8);
        Process p =
                new ProcessBuilder(
                                PYTHON.toString(),
                                script.resolve("small.py").toString(),
                                fixtures().getParent().resolve("tools").toString(),
                                out.toString(),
                                script.toString(),
                                variant)
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(log).isTrue();
        return p.exitValue() + "\n" + log;
    }

    @Test
    @EnabledIf("torchAvailable")
    void anExportedModelImportsAndReproducesPyTorchWithNoStrayFiles(
            @TempDir Path script, @TempDir Path out) throws Exception {
        String log = exportSmall(script, out, "good");
        assertThat(log).as(log).startsWith("0\n");
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly("small.json", "small.npz");
        }
        try (NDManager m = NDManager.newBaseManager();
                ImportedModel model = ImportedModel.load(out.resolve("small.json"), m);
                java.io.InputStream in = Files.newInputStream(script.resolve("reference.npz"))) {
            NDList ref = NDList.decode(m, in);
            NDArray x = ref.get(0).getName().equals("x") ? ref.get(0) : ref.get(1);
            NDArray y = ref.get(0).getName().equals("x") ? ref.get(1) : ref.get(0);
            assertThat(model.layerNames()).contains("conv", "body", "body.0", "body.1", "fc");
            NDArray got = model.forwardFunction().forward(new NDList(x), List.of());
            assertThat(Fixtures.maxAbsDiff(got, y)).isLessThan(1e-5);
        }
    }

    @Test
    @EnabledIf("torchAvailable")
    void anUnsupportedModuleIsNamedWithItsPathAndNothingIsWritten(
            @TempDir Path script, @TempDir Path out) throws Exception {
        String log = exportSmall(script, out, "bad");
        assertThat(log).doesNotStartWith("0\n").contains("'body.1'").contains("PReLU");
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            assertThat(files).isEmpty();
        }
    }
}
