package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.JsonTensors;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * A transformer encoder built from {@code nn.MultiheadAttention} leaves ({@code
 * tools/mha_encoder.py}: a batch-first attention with packed weights, a float causal mask and a key
 * padding mask computed from the ids, then a sequence-first one with separate q/k/v weights and a
 * bool causal mask) imported and explained: PyTorch's logits reproduced ({@code
 * mha_encoder_reference.json}), the attention's output captured with LayerActivation, and
 * LayerIntegratedGradients on the token embeddings complete.
 */
class MhaEncoderTest {

    private static final int ROWS = 3;
    private static final int TOKENS = 8;
    private static final int DIM = 16;

    private static NDManager manager;
    private static ImportedModel model;
    private static JsonObject reference;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        reference =
                JsonParser.parseString(
                                Files.readString(
                                        TestModels.model("mha_encoder_reference.json"),
                                        StandardCharsets.UTF_8))
                        .getAsJsonObject();
        model = ImportedModel.load(TestModels.model("mha_encoder.json"), manager);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    private static NDArray tensor(String key, NDManager m) {
        return JsonTensors.tensor(reference.getAsJsonObject(key), m);
    }

    private static NDArray forward(NDArray ids) {
        return model.forwardFunction().forward(new NDList(ids), List.of());
    }

    @Test
    void reproducesPyTorchAndCapturesTheAttentionOutput() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = tensor("ids", m);
            NDArrayAssert.assertThat(forward(ids)).isCloseTo(tensor("logits", m), 1e-5, 1e-5);
            try (Attribution a =
                    new LayerActivation(model, LayerPath.of("blocks.0.attn"))
                            .attribute(Inputs.of(ids), Target.none())) {
                assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(ROWS, TOKENS, DIM));
                NDArrayAssert.assertThat(a.attribution(0))
                        .isCloseTo(tensor("blocks.0.attn", m), 1e-5, 1e-5);
            }
            try (Attribution a =
                    new LayerActivation(model, LayerPath.of("tok_emb"))
                            .attribute(Inputs.of(ids), Target.none())) {
                NDArrayAssert.assertThat(a.attribution(0))
                        .isCloseTo(tensor("embeddings", m), 1e-6, 1e-6);
            }
        }
    }

    @Test
    void layerIntegratedGradientsOnTheEmbeddingsIsComplete() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = tensor("ids", m);
            // baseline: every real token replaced by token 1, the padding kept (an all-padding row
            // has no key to attend to, NaN in PyTorch as here)
            NDArray base = ids.neq(0).toType(ids.getDataType(), false);
            float[] gap = forward(ids).sub(forward(base)).get(":, 1").toFloatArray();
            Inputs in = Inputs.of(ids).withBaselines(Baselines.tensors(base));
            // internalBatchSize 5: the passes see batches of 5 rows and a last one of 4 (64 x 3
            // rows), so the attention's masks meet batch sizes other than the input's
            LayerIntegratedGradients.Options o =
                    LayerIntegratedGradients.Options.builder()
                            .nSteps(64)
                            .internalBatchSize(5)
                            .returnConvergenceDelta(true)
                            .build();
            try (Attribution a =
                    new LayerIntegratedGradients(model, LayerPath.of("tok_emb"))
                            .attribute(in, Target.index(1), o)) {
                NDArray attr = a.attribution(0);
                assertThat(attr.getShape()).isEqualTo(new Shape(ROWS, TOKENS, DIM));
                float[] sums = attr.reshape(ROWS, -1).sum(new int[] {1}).toFloatArray();
                float[] delta = a.convergenceDelta().orElseThrow().toFloatArray();
                for (int n = 0; n < ROWS; n++) {
                    // the delta is sum A - (F(x) - F(x')), and small: completeness
                    assertThat((double) delta[n]).isCloseTo(sums[n] - gap[n], offset(1e-4));
                    assertThat(Math.abs(delta[n])).isLessThan(0.02f * (1 + Math.abs(gap[n])));
                }
                // padded keys are masked (-inf before the softmax): no NaN reaches the gradient
                assertThat(attr.isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void aSequenceFirstAttentionIsRejectedByNameWhenItsValuesAreScaled() throws IOException {
        // blocks.1.attn has batch_first=False: its value is (L, N, E) = (8, 3, 16). The path
        // methods shift layer values row by row; before the check the engine failed with "size of
        // tensor a (5) must match the size of tensor b (3)" (with equal sizes: misread rows)
        try (NDManager m = manager.newSubManager();
                ImportedModel fromEmbeddings =
                        ImportedModel.load(TestModels.model("mha_encoder_embeddings.json"), m)) {
            NDArray x = tensor("embeddings", m);
            for (String layer : List.of("blocks.1.attn", "blocks.1.kv")) {
                LayerIntegratedGradients lig =
                        new LayerIntegratedGradients(fromEmbeddings, LayerPath.of(layer));
                assertThatThrownBy(() -> lig.attribute(Inputs.of(x), Target.index(1)).close())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "layer '" + layer + "' must hold the batch on dimension 0")
                        .hasMessageContaining("got shape (8, 6, ");
                // LayerDeepLift runs inputs and baselines stacked (6 rows): it split the 8
                // positions 3 + 5 and returned (3, 6, 16) before the check
                LayerDeepLift ld = new LayerDeepLift(fromEmbeddings, LayerPath.of(layer));
                assertThatThrownBy(() -> ld.attribute(Inputs.of(x), Target.index(1)).close())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "layer '" + layer + "' must hold the batch on dimension 0")
                        .hasMessageContaining("got shape (8, 6, ");
                // LayerConductance's steps: the engine failed with "(5) must match (8)" before
                LayerConductance lc = new LayerConductance(fromEmbeddings, LayerPath.of(layer));
                assertThatThrownBy(() -> lc.attribute(Inputs.of(x), Target.index(1)).close())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(
                                "layer '" + layer + "' must hold the batch on dimension 0");
            }
            // the batch-first block around it is attributed as usual
            try (Attribution a =
                    new LayerIntegratedGradients(fromEmbeddings, LayerPath.of("blocks.1"))
                            .attribute(Inputs.of(x), Target.index(1))) {
                assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(ROWS, TOKENS, DIM));
            }
        }
    }
}
