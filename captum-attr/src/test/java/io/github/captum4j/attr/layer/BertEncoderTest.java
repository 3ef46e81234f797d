package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import java.nio.file.Path;
import java.util.List;

/**
 * A BERT-style encoder (the fixtures' tiny_text_transformer scaled to 4 blocks, written and trained
 * by {@code tools/bert_encoder.py} on "class 1 iff token 7 occurs") imported and explained:
 * LayerIntegratedGradients on the token embeddings, LayerConductance on each block's output,
 * attention probabilities captured with LayerActivation. Checked by completeness and by PyTorch's
 * own numbers in the model JSON (verify pass, attention probabilities).
 */
class BertEncoderTest {

    private static final int LAYERS = 4;

    private static NDManager manager;
    private static ImportedModel model;
    private static JsonObject spec;

    @BeforeAll
    static void load() throws IOException {
        manager = NDManager.newBaseManager();
        Path json = TestModels.model("bert_encoder.json");
        spec = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
        model = ImportedModel.load(json, manager);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    private static NDArray tensor(JsonObject t, NDManager m) {
        return JsonTensors.tensor(t, m);
    }

    private static NDArray ids(NDManager m) {
        JsonObject ts = spec.getAsJsonObject("torchscript");
        return tensor(ts.getAsJsonArray("verify_input").get(0).getAsJsonObject(), m);
    }

    @Test
    void reproducesPyTorchAndCapturesTheAttentionProbabilities() {
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = ids(m);
            NDArray out = model.forwardFunction().forward(new NDList(ids), List.of());
            NDArrayAssert.assertThat(out)
                    .isCloseTo(tensor(spec.getAsJsonObject("torchscript").getAsJsonObject("verify_output"), m), 1e-5, 1e-5);
            JsonObject probs = spec.getAsJsonObject("attention_probs");
            for (int b = 0; b < LAYERS; b++) {
                String name = "blocks." + b + ".attn.softmax";
                try (Attribution a =
                        new LayerActivation(model, LayerPath.of(name)).attribute(Inputs.of(ids), Target.none())) {
                    NDArray p = a.attribution(0);
                    assertThat(p.getShape()).isEqualTo(new Shape(3, 2, 12, 12));
                    NDArrayAssert.assertThat(p).isCloseTo(tensor(probs.getAsJsonObject(name), m), 1e-5, 1e-6);
                }
            }
        }
    }

    @Test
    void layerIntegratedGradientsOnTheEmbeddingsIsCompleteAndFindsTheKeyToken() {
        int key = spec.getAsJsonObject("task").get("key_token").getAsInt();
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = ids(m);
            NDArray pad = m.zeros(ids.getShape(), DataType.INT64);
            Inputs in = Inputs.of(ids).withBaselines(Baselines.tensors(pad));
            LayerIntegratedGradients.Options o =
                    LayerIntegratedGradients.Options.builder().nSteps(256).returnConvergenceDelta(true).build();
            try (Attribution a =
                    new LayerIntegratedGradients(model, LayerPath.of("tok_emb"))
                            .attribute(in, Target.index(1), o)) {
                NDArray attr = a.attribution(0);
                assertThat(attr.getShape()).isEqualTo(new Shape(3, 12, 16));
                NDArray gap = gap(ids, pad, 1);
                float[] sums = attr.reshape(3, -1).sum(new int[] {1}).toFloatArray();
                float[] delta = a.convergenceDelta().orElseThrow().toFloatArray();
                float[] g = gap.toFloatArray();
                for (int n = 0; n < 3; n++) {
                    // the delta is sum A - (F(x) - F(x')), and small: completeness
                    assertThat((double) delta[n])
                            .isCloseTo(sums[n] - g[n], org.assertj.core.data.Offset.offset(1e-4));
                    assertThat(Math.abs(delta[n])).isLessThan(0.02f * (1 + Math.abs(g[n])));
                }
                // the deciding token of every positive row gets the largest token attribution
                long[] tokens = ids.toLongArray();
                float[] perToken = attr.sum(new int[] {2}).toFloatArray();
                for (int n = 0; n < 3; n++) {
                    int best = 0;
                    boolean positive = false;
                    for (int t = 0; t < 12; t++) {
                        positive |= tokens[n * 12 + t] == key;
                        if (perToken[n * 12 + t] > perToken[n * 12 + best]) {
                            best = t;
                        }
                    }
                    if (positive) {
                        assertThat(tokens[n * 12 + best]).isEqualTo(key);
                    }
                }
            }
        }
    }

    @Test
    void layerConductanceOnEveryBlockOutputSumsToTheOutputDifference() throws IOException {
        // Captum's BERT recipe: conductance scales its inputs, so it runs on the model from the
        // summed embeddings on (bert_encoder_embeddings.json, same weights); the embeddings of the
        // ids and of the pad baseline are the input of blocks.0, captured with LayerActivation
        try (NDManager m = manager.newSubManager();
                ImportedModel fromEmbeddings =
                        ImportedModel.load(TestModels.model("bert_encoder_embeddings.json"), m)) {
            NDArray ids = ids(m);
            NDArray pad = m.zeros(ids.getShape(), DataType.INT64);
            NDArray x = blockInput(ids);
            NDArray b = blockInput(pad);
            float[] g = gap(ids, pad, 1).toFloatArray();
            NDArrayAssert.assertThat(
                            fromEmbeddings.forwardFunction().forward(new NDList(x), List.of()))
                    .isCloseTo(model.forwardFunction().forward(new NDList(ids), List.of()), 1e-5, 1e-6);
            Inputs in = Inputs.of(x).withBaselines(Baselines.tensors(b));
            LayerConductance.Options o = LayerConductance.Options.builder().nSteps(128).build();
            for (int k = 0; k < LAYERS; k++) {
                try (Attribution a =
                        new LayerConductance(fromEmbeddings, LayerPath.of("blocks." + k))
                                .attribute(in, Target.index(1), o)) {
                    assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(3, 12, 16));
                    float[] sums = a.attribution(0).reshape(3, -1).sum(new int[] {1}).toFloatArray();
                    for (int n = 0; n < 3; n++) {
                        // every path from the input to the output passes through each block's output;
                        // conductance's per-step layer differences converge as O(1/nSteps): 5%
                        assertThat((double) sums[n])
                                .isCloseTo(g[n], org.assertj.core.data.Offset.offset(0.05 * (1 + Math.abs(g[n]))));
                    }
                }
            }
        }
    }

    private static NDArray blockInput(NDArray ids) {
        try (Attribution a =
                new LayerActivation(model, LayerPath.of("blocks.0"))
                        .attribute(Inputs.of(ids), Target.none(), new LayerActivation.Options(true))) {
            return a.attribution(0).duplicate();
        }
    }

    private static NDArray gap(NDArray ids, NDArray pad, int target) {
        NDArray fx = model.forwardFunction().forward(new NDList(ids), List.of()).get(":, " + target);
        NDArray fb = model.forwardFunction().forward(new NDList(pad), List.of()).get(":, " + target);
        return fx.sub(fb);
    }
}
