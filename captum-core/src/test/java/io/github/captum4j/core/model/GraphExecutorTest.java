package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The graph executor on the transformer and Conv1d fixtures, and its input checks. */
class GraphExecutorTest {

    private static NDManager base;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    @ParameterizedTest(name = "{0}.json")
    @ValueSource(strings = {"conv1d_dna", "tiny_text_transformer", "tiny_gpt"})
    void reproducesVerifyOutput(String id) throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson(id));
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson(id), m)) {
            NDArray out = model.forwardFunction().forward(Fixtures.verifyInputs(json, m), List.of());
            assertThat(Fixtures.maxAbsDiff(out, Fixtures.verifyOutput(json, m)))
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void tinyGptMatchesItsTorchScriptLogitsAtOtherLengths() throws IOException {
        Path json = Fixtures.modelJson("tiny_gpt");
        Random random = new Random(7);
        try (NDManager m = base.newSubManager();
                ImportedModel block = ImportedModel.load(json, m);
                TorchScriptModel script =
                        TorchScriptModel.load(json.resolveSibling("tiny_gpt.pt"))) {
            for (int t : new int[] {1, 5, 17, 32}) {
                long[] ids = new long[3 * t];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = random.nextInt(40);
                }
                NDArray x = m.create(ids, new Shape(3, t));
                NDArray a = block.forwardFunction().forward(new NDList(x), List.of());
                NDArray b = script.forwardFunction().forward(new NDList(x), List.of());
                assertThat(a.getShape()).isEqualTo(new Shape(3, t, 40));
                assertThat(Fixtures.maxAbsDiff(a, b)).isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @Test
    void subModulesOfTheGraphAreModules() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_gpt"), m)) {
            assertThat(model.layerNames())
                    .contains("h", "h.0", "h.1", "h.0.attn", "h.0.mlp", "h.1.attn.softmax", "wte");
            NDArray ids = m.create(new long[] {1, 4, 6, 10, 14, 4, 18}, new Shape(1, 7));
            try (LayerTap tap =
                    model.tap(LayerPath.of("h.1.attn.softmax", "h.0"), TapSite.OUTPUT)) {
                NDArray out = tap.forward(new NDList(ids), List.of());
                NDArray att = tap.values().get(0);
                assertThat(att.getShape()).isEqualTo(new Shape(1, 2, 7, 7));
                // probabilities: rows sum to 1, and causal: nothing above the diagonal
                NDArray rowSums = att.sum(new int[] {3});
                assertThat(Fixtures.maxAbsDiff(rowSums, rowSums.onesLike())).isLessThan(1e-6);
                float[] p = att.toFloatArray();
                for (int i = 0; i < 7; i++) {
                    for (int j = i + 1; j < 7; j++) {
                        assertThat(p[i * 7 + j]).isZero();
                    }
                }
                assertThat(tap.values().get(1).getShape()).isEqualTo(new Shape(1, 7, 16));
                assertThat(out.getShape()).isEqualTo(new Shape(1, 7, 40));
            }
        }
    }

    @Test
    void unknownOpIsNamed(@TempDir Path dir) throws IOException {
        JsonObject spec = copy("tiny_text_transformer", dir);
        graphNode(spec, "m").addProperty("op", "median(dim=1)");
        assertThatThrownBy(() -> load(spec, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph node 'm'")
                .hasMessageContaining("median(dim=1)");
    }

    @Test
    void danglingValueIsNamed(@TempDir Path dir) throws IOException {
        JsonObject spec = copy("tiny_text_transformer", dir);
        JsonArray in = new JsonArray();
        in.add("nowhere");
        graphNode(spec, "h2").add("in", in);
        assertThatThrownBy(() -> load(spec, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("graph node 'h2'")
                .hasMessageContaining("'nowhere'");
    }

    @Test
    void weightOfTheWrongShapeIsNamed(@TempDir Path dir) throws IOException {
        JsonObject spec = copy("tiny_text_transformer", dir);
        for (var e : spec.getAsJsonArray("layers")) {
            JsonObject l = e.getAsJsonObject();
            if (l.get("name").getAsString().equals("block.mlp.fc1")) {
                l.addProperty("out_features", 31);
            }
        }
        assertThatThrownBy(() -> load(spec, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block.mlp.fc1");
    }

    @Test
    void weightsOutsideTheModelFolderAreRejected(@TempDir Path dir) throws IOException {
        JsonObject spec = copy("tiny_text_transformer", dir);
        spec.addProperty("state_dict_file", "../elsewhere/tiny_text_transformer.npz");
        assertThatThrownBy(() -> load(spec, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state_dict_file")
                .hasMessageContaining("../elsewhere/tiny_text_transformer.npz");
    }

    private static JsonObject copy(String id, Path dir) throws IOException {
        Path json = Fixtures.modelJson(id);
        Files.copy(json.resolveSibling(id + ".npz"), dir.resolve(id + ".npz"));
        return JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static JsonObject graphNode(JsonObject spec, String out) {
        for (var e : spec.getAsJsonArray("graph")) {
            if (e.getAsJsonObject().get("out").getAsString().equals(out)) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError("no node " + out);
    }

    private static void load(JsonObject spec, Path dir) throws IOException {
        Path file = dir.resolve("model.json");
        Files.writeString(file, spec.toString(), StandardCharsets.UTF_8);
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(file, m)) {
            model.forwardFunction();
        }
    }
}
