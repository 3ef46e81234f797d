package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code nn.MultiheadAttention} leaves in the graph executor, on {@code mha_encoder} (written by
 * {@code tools/mha_encoder.py}: batch_first true and false, packed and separate q/k/v weights, with
 * and without bias, float and bool causal masks, a key padding mask computed from the ids,
 * need_weights true and false), checked against PyTorch's outputs in {@code
 * mha_encoder_reference.json}.
 */
class MultiheadAttentionTest {

    private static NDManager base;
    private static JsonObject reference;

    @BeforeAll
    static void load() throws IOException {
        base = NDManager.newBaseManager();
        reference = Fixtures.read(Fixtures.modelJson("mha_encoder_reference"));
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    @Test
    void reproducesPyTorchOnTokenIdsAndOnEmbeddings() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel ids = ImportedModel.load(Fixtures.modelJson("mha_encoder"), m);
                ImportedModel emb =
                        ImportedModel.load(Fixtures.modelJson("mha_encoder_embeddings"), m)) {
            NDArray x = Fixtures.tensor(reference.getAsJsonObject("ids"), m);
            NDArray out = ids.forwardFunction().forward(new NDList(x), List.of());
            assertThat(Fixtures.maxAbsDiff(out, tensor("logits", m))).isLessThanOrEqualTo(1e-5);
            NDArray e = tensor("embeddings", m);
            NDArray fromEmb = emb.forwardFunction().forward(new NDList(e), List.of());
            assertThat(Fixtures.maxAbsDiff(fromEmb, tensor("embeddings_logits", m)))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(ids.layerType("blocks.1.attn")).isEqualTo("MultiheadAttention");
        }
    }

    @Test
    void everyBatchSizeGivesEachRowItsOwnOutput() throws IOException {
        // path methods change the batch between passes (n_steps x N rows, inputs and baselines
        // stacked): each row's output must not depend on the batch size or on earlier passes
        try (NDManager m = base.newSubManager();
                ImportedModel ids = ImportedModel.load(Fixtures.modelJson("mha_encoder"), m);
                ImportedModel emb =
                        ImportedModel.load(Fixtures.modelJson("mha_encoder_embeddings"), m)) {
            NDArray x = Fixtures.tensor(reference.getAsJsonObject("ids"), m);
            NDArray e = tensor("embeddings", m);
            NDArray logits = tensor("logits", m);
            NDArray fromEmb = tensor("embeddings_logits", m);
            for (int[] rows :
                    new int[][] {{0, 1, 2}, {0, 1, 2, 0, 1}, {2}, {1, 2, 0, 2, 1, 0, 0}}) {
                NDArray index = m.create(rows);
                NDArray out = ids.forwardFunction().forward(new NDList(x.get(index)), List.of());
                assertThat(Fixtures.maxAbsDiff(out, logits.get(index)))
                        .as("token ids, rows %s", java.util.Arrays.toString(rows))
                        .isLessThanOrEqualTo(1e-5);
                NDArray y = emb.forwardFunction().forward(new NDList(e.get(index)), List.of());
                assertThat(Fixtures.maxAbsDiff(y, fromEmb.get(index)))
                        .as("embeddings, rows %s", java.util.Arrays.toString(rows))
                        .isLessThanOrEqualTo(1e-5);
            }
        }
    }

    @Test
    void unsupportedAttentionOptionsAreRejectedAtImport(@TempDir Path dir) throws IOException {
        Path source = Fixtures.modelJson("mha_encoder");
        String json = Files.readString(source, StandardCharsets.UTF_8);
        String broken = json.replaceFirst("\"add_zero_attn\": false", "\"add_zero_attn\": true");
        assertThat(broken).isNotEqualTo(json);
        Files.writeString(dir.resolve("mha_encoder.json"), broken, StandardCharsets.UTF_8);
        Files.copy(source.resolveSibling("mha_encoder.npz"), dir.resolve("mha_encoder.npz"));
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(dir.resolve("mha_encoder.json"), m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("blocks.0.attn")
                    .hasMessageContaining("add_zero_attn");
        }
    }

    private static NDArray tensor(String key, NDManager m) {
        return Fixtures.tensor(reference.getAsJsonObject(key), m);
    }
}
