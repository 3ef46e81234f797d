package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.attr.layer.LayerActivation;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code transformer} subcommand: a BERT-style encoder ({@code bert_encoder}, 4 pre-LN blocks,
 * written and trained by {@code tools/bert_encoder.py} on "class 1 iff token 7 occurs") imported
 * from its architecture JSON and explained: LayerIntegratedGradients on the token embeddings (per
 * token, summed over the embedding, with its convergence delta), LayerConductance on each block's
 * output (its total, which completeness makes the output difference; run from the summed embeddings
 * on, {@code bert_encoder_embeddings.json}, as Captum's BERT tutorial does), and the attention the key
 * token receives in each block (LayerActivation on {@code blocks.i.attn.softmax}).
 */
final class TransformerDemo {

    private static final String MODEL = "bert_encoder";
    private static final int BLOCKS = 4;

    private TransformerDemo() {}

    /**
     * Runs the demo on the model's verify sequences.
     *
     * @param fixtures the fixture folder (holding {@code models/})
     * @param out where the report goes
     * @return 0
     */
    static int run(Path fixtures, PrintStream out) {
        Path json = fixtures.resolve("models").resolve(MODEL + ".json");
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel model = ImportedModel.load(json, manager)) {
            JsonObject spec =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            int key = spec.getAsJsonObject("task").get("key_token").getAsInt();
            NDArray ids = ids(spec, manager);
            long n = ids.getShape().get(0);
            long t = ids.getShape().get(1);
            NDArray pad = manager.zeros(ids.getShape(), DataType.INT64);
            Inputs in = Inputs.of(ids).withBaselines(Baselines.tensors(pad));
            Target target = Target.index(1);
            NDArray logits = model.forwardFunction().forward(new NDList(ids), List.of());
            out.printf(
                    "%s: %d blocks, task '%s' (key token %d); baseline = pad id 0%n",
                    MODEL, BLOCKS, spec.getAsJsonObject("task").get("rule").getAsString(), key);

            LayerIntegratedGradients.Options ig =
                    LayerIntegratedGradients.Options.builder()
                            .nSteps(64)
                            .returnConvergenceDelta(true)
                            .build();
            try (Attribution a =
                    new LayerIntegratedGradients(model, LayerPath.of("tok_emb"))
                            .attribute(in, target, ig)) {
                float[] perToken = a.attribution(0).sum(new int[] {2}).toFloatArray();
                float[] delta = a.convergenceDelta().orElseThrow().toFloatArray();
                long[] tokens = ids.toLongArray();
                float[] p = logits.softmax(1).toFloatArray();
                out.println();
                out.println("LayerIntegratedGradients on tok_emb, target class 1 (token:attribution)");
                for (int i = 0; i < n; i++) {
                    StringBuilder row = new StringBuilder();
                    for (int j = 0; j < t; j++) {
                        long tok = tokens[(int) (i * t + j)];
                        row.append(String.format(Locale.ROOT, tok == key ? " [%d:%+.2f]" : " %d:%+.2f", tok, perToken[(int) (i * t + j)]));
                    }
                    out.printf(
                            Locale.ROOT,
                            "  p(1)=%.3f delta=%+.1e |%s%n",
                            p[2 * i + 1],
                            delta[i],
                            row);
                }
            }

            out.println();
            out.println("LayerConductance per block output: total (= F(x) - F(pad) by completeness)");
            NDArray gap =
                    logits.get(":, 1")
                            .sub(model.forwardFunction().forward(new NDList(pad), List.of()).get(":, 1"));
            out.printf(Locale.ROOT, "  %-10s %s%n", "F(x)-F(x')", fmt(gap.toFloatArray()));
            // conductance scales its inputs: run it from the summed embeddings on (Captum's BERT
            // recipe), the input of blocks.0 captured for the ids and for the pad baseline
            LayerConductance.Options lc = LayerConductance.Options.builder().nSteps(128).build();
            try (ImportedModel fromEmbeddings =
                    ImportedModel.load(
                            fixtures.resolve("models").resolve(MODEL + "_embeddings.json"),
                            manager)) {
                Inputs embedded =
                        Inputs.of(blockInput(model, ids))
                                .withBaselines(Baselines.tensors(blockInput(model, pad)));
                for (int b = 0; b < BLOCKS; b++) {
                    try (Attribution a =
                            new LayerConductance(fromEmbeddings, LayerPath.of("blocks." + b))
                                    .attribute(embedded, target, lc)) {
                        float[] total =
                                a.attribution(0).reshape(n, -1).sum(new int[] {1}).toFloatArray();
                        out.printf(Locale.ROOT, "  %-10s %s%n", "blocks." + b, fmt(total));
                    }
                }
            }

            out.println();
            out.println("attention received by the key token (mean over heads and queries)");
            long[] tokens = ids.toLongArray();
            for (int b = 0; b < BLOCKS; b++) {
                try (Attribution a =
                        new LayerActivation(model, LayerPath.of("blocks." + b + ".attn.softmax"))
                                .attribute(Inputs.of(ids), Target.none())) {
                    // (N, H, T, T) -> mean over heads and queries: (N, T) attention per key
                    float[] perKey = a.attribution(0).mean(new int[] {2}).mean(new int[] {1}).toFloatArray();
                    StringBuilder row = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        double received = Double.NaN;
                        for (int j = 0; j < t; j++) {
                            if (tokens[(int) (i * t + j)] == key) {
                                received = perKey[(int) (i * t + j)];
                            }
                        }
                        row.append(
                                Double.isNaN(received)
                                        ? "   (no key)"
                                        : String.format(Locale.ROOT, " %10.3f", received));
                    }
                    out.printf(Locale.ROOT, "  blocks.%d %s   (uniform: %.3f)%n", b, row, 1.0 / t);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NDArray blockInput(ImportedModel model, NDArray ids) {
        try (Attribution a =
                new LayerActivation(model, LayerPath.of("blocks.0"))
                        .attribute(Inputs.of(ids), Target.none(), new LayerActivation.Options(true))) {
            return a.attribution(0).duplicate();
        }
    }

    private static String fmt(float[] v) {
        StringBuilder s = new StringBuilder();
        for (float x : v) {
            s.append(String.format(Locale.ROOT, " %+8.4f", x));
        }
        return s.toString();
    }

    private static NDArray ids(JsonObject spec, NDManager manager) {
        JsonObject t =
                spec.getAsJsonObject("torchscript")
                        .getAsJsonArray("verify_input")
                        .get(0)
                        .getAsJsonObject();
        JsonArray dims = t.getAsJsonArray("shape");
        JsonArray data = t.getAsJsonArray("data");
        long[] v = new long[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i).getAsLong();
        }
        return manager.create(v, new Shape(dims.get(0).getAsLong(), dims.get(1).getAsLong()));
    }
}
