package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.influence.Batch;
import io.github.captum4j.influence.Checkpoint;
import io.github.captum4j.influence.Loss;
import io.github.captum4j.influence.SimilarityInfluence;
import io.github.captum4j.influence.SimilarityMetric;
import io.github.captum4j.influence.TopK;
import io.github.captum4j.influence.TracInCP;
import io.github.captum4j.influence.TracInCPFast;
import io.github.captum4j.influence.TracInCPFastRandProj;
import io.github.captum4j.influence.TrainingInfluence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code influence} cases (fixtures README "influence"): TracInCP, TracInCPFast,
 * TracInCPFastRandProj and SimilarityInfluence. On the Block form (imported checkpoints {@code
 * models/<id>.json}) every expected item is compared within the case tolerance, proponent /
 * opponent indices exactly unless the swapped rows tie within tolerance; on the TorchScript form
 * ({@code models/<id>.pt}, one backward pass per example) TracInCP's scores are compared and the
 * other methods are skipped. The projected statistical case is checked by its statistics: the mean
 * over {@value #SEEDS} seeds approaches TracInCPFast within 5 standard errors and the seed-0 scores
 * lie within 5 standard deviations of the reference's seed mean.
 */
public final class InfluenceFamily extends FamilyKeyed {

    /** Seeds of the projected statistical case. */
    static final int SEEDS = 30;

    /** Band, in standard deviations (or errors), of the statistical case. */
    private static final double Z = 5;

    /** The {@code influence} family. */
    public InfluenceFamily() {
        super("influence", Set.of("seed_stats", "expected_value_tracincp_fast"));
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        Path models = ctx.root().dir().resolve("models");
        return ctx.eachForm(
                c,
                (form, model, m) -> {
                    if (form == ModelForm.TORCHSCRIPT && !c.method().equals("TracInCP")) {
                        return Verdict.skipped(
                                c.method() + " reads the imported (Block) checkpoints only");
                    }
                    return check(c, form, models, m);
                });
    }

    private static Verdict check(GoldenCase c, ModelForm form, Path models, NDManager m) {
        JsonObject json = c.json();
        JsonObject init = json.getAsJsonObject("init_args");
        Tolerance t = c.tolerance();
        int k = json.get("k").getAsInt();
        Batch test = Batch.of(c.tensor("test_inputs", m), c.tensor("test_labels", m));
        List<Batch> train =
                Batch.split(
                        c.tensor("train_inputs", m),
                        c.tensor("train_labels", m),
                        init.get("batch_size").getAsInt());
        InfluenceCase run = new InfluenceCase(c, init, models, train, test, k, t, m);
        Verdict v = new Verdict();
        switch (c.method()) {
            case "SimilarityInfluence":
                run.similarity(v);
                return v;
            case "TracInCP":
                TracInCP tracIn = tracInCP(c, init, models, extension(form), train);
                if (form == ModelForm.TORCHSCRIPT) {
                    v.compare(
                            "influence",
                            t.check(tracIn.influence(test), c.tensor("expected.influence", m)));
                } else {
                    run.tracin(v, tracIn);
                }
                return v;
            case "TracInCPFast":
                run.tracin(
                        v,
                        new TracInCPFast(
                                checkpoints(c, models, ".json"),
                                train,
                                loss(init),
                                LayerPath.of(init.get("final_fc_layer").getAsString())));
                return v;
            case "TracInCPFastRandProj":
                run.randProj(v);
                return v;
            default:
                throw new IllegalArgumentException(
                        "method must be TracInCP, TracInCPFast, TracInCPFastRandProj or"
                                + " SimilarityInfluence, got "
                                + c.method());
        }
    }

    /**
     * One influence case as read: its constructor arguments, training batches, test batch, the
     * {@code k} of the top-k checks, its tolerance and the manager of its tensors.
     */
    private record InfluenceCase(
            GoldenCase c,
            JsonObject init,
            Path models,
            List<Batch> train,
            Batch test,
            int k,
            Tolerance t,
            NDManager m) {

        void tracin(Verdict v, TrainingInfluence method) {
            NDArray scores = method.influence(test);
            v.compare("influence", t.check(scores, c.tensor("expected.influence", m)));
            top(v, "proponents", method.proponents(test, k), c, scores, t, m);
            top(v, "opponents", method.opponents(test, k), c, scores, t, m);
            if (c.has("expected.self_influence_train")) {
                v.compare(
                        "self_influence_train",
                        t.check(
                                method.selfInfluence(),
                                c.tensor("expected.self_influence_train", m)));
            }
            if (c.has("expected.self_influence_test")) {
                v.compare(
                        "self_influence_test",
                        t.check(
                                method.selfInfluence(List.of(test)),
                                c.tensor("expected.self_influence_test", m)));
            }
            if (c.has("expected.influence_aggregate")) {
                v.compare(
                        "influence_aggregate",
                        t.check(
                                scores.sum(new int[] {0}, true),
                                c.tensor("expected.influence_aggregate", m)));
            }
        }

        void randProj(Verdict v) {
            LayerPath fc = LayerPath.of(init.get("final_fc_layer").getAsString());
            Integer dim =
                    init.get("projection_dim").isJsonNull()
                            ? null
                            : init.get("projection_dim").getAsInt();
            List<Checkpoint> ckpts = checkpoints(c, models, ".json");
            Loss loss = loss(init);
            if (c.kind() != GoldenCase.Kind.STATISTICAL) {
                tracin(
                        v,
                        new TracInCPFastRandProj(
                                ckpts, train, loss, fc, dim, init.get("seed").getAsInt()));
                return;
            }
            NDArray mean = c.tensor("expected.seed_stats.mean", m);
            NDArray std = c.tensor("expected.seed_stats.std", m);
            NDArray fast = c.tensor("expected.expected_value_tracincp_fast", m);
            NDArray sum = null;
            NDArray seed0 = null;
            for (int s = 0; s < SEEDS; s++) {
                NDArray scores =
                        new TracInCPFastRandProj(ckpts, train, loss, fc, dim, s).influence(test);
                seed0 = s == 0 ? scores : seed0;
                sum = sum == null ? scores : sum.add(scores);
            }
            NDArray ourMean = sum.div(SEEDS);
            // unbiased: |our mean - TracInCPFast| within Z standard errors (+ the case's atol)
            long far =
                    outside(
                            ourMean.sub(fast).abs(),
                            std.div(Math.sqrt(SEEDS)).mul(Z).add(t.atol()));
            v.check(
                    String.format(
                            Locale.ROOT,
                            "mean of %d seeds within %.0f SE of expected_value_tracincp_fast",
                            SEEDS,
                            Z),
                    far == 0,
                    far + " elements outside");
            // one draw lies within Z std of the reference's seed mean
            long wide = outside(seed0.sub(mean).abs(), std.mul(Z).add(t.atol()));
            v.check(
                    String.format(Locale.ROOT, "seed 0 within %.0f std of seed_stats mean", Z),
                    wide == 0,
                    wide + " elements outside");
        }

        void similarity(Verdict v) {
            String ckpt = init.get("checkpoint").getAsString();
            List<LayerPath> layers = layers(init);
            String metricName = init.get("similarity_metric").getAsString();
            SimilarityMetric metric;
            if (metricName.equals("cosine_similarity")) {
                metric = SimilarityMetric.COSINE;
            } else if (metricName.equals("euclidean_distance")) {
                metric = SimilarityMetric.EUCLIDEAN;
            } else {
                throw new IllegalArgumentException(
                        "init_args.similarity_metric must be cosine_similarity or"
                                + " euclidean_distance,"
                                + " got "
                                + metricName);
            }
            List<NDList> inputs = new ArrayList<>();
            for (Batch b : train) {
                inputs.add(b.inputs());
            }
            try (ImportedModel model = ImportedModel.load(models.resolve(ckpt + ".json"), m)) {
                Map<String, TopK> got =
                        new SimilarityInfluence(model, layers, inputs, metric)
                                .influence(test.inputs(), k);
                for (LayerPath l : layers) {
                    String key = "expected.influences." + l.name();
                    TopK g = got.get(l.name());
                    if (g == null) {
                        v.fail(l.name(), "no result for the layer");
                        continue;
                    }
                    v.compare(
                            l.name() + " values",
                            t.check(g.scores(), c.tensor(key + ".values", m)));
                    long[] a = g.indices().toLongArray();
                    long[] e = c.tensor(key + ".indices", m).toLongArray();
                    long bad = Math.abs(a.length - e.length);
                    for (int i = 0; i < Math.min(a.length, e.length); i++) {
                        bad += a[i] == e[i] ? 0 : 1;
                    }
                    v.check(l.name() + " indices equal", bad == 0, bad + " indices differ");
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(
                        "cannot load " + ckpt + ".json: " + e.getMessage(), e);
            }
        }
    }

    private static String extension(ModelForm form) {
        return form == ModelForm.TORCHSCRIPT ? ".pt" : ".json";
    }

    private static TracInCP tracInCP(
            GoldenCase c, JsonObject init, Path models, String ext, List<Batch> train) {
        List<LayerPath> layers = null;
        if (!init.get("layers").isJsonNull()) {
            layers = layers(init);
        }
        return new TracInCP(checkpoints(c, models, ext), train, loss(init), layers);
    }

    private static List<LayerPath> layers(JsonObject init) {
        List<LayerPath> layers = new ArrayList<>();
        for (JsonElement e : init.getAsJsonArray("layers")) {
            layers.add(LayerPath.of(e.getAsString()));
        }
        return layers;
    }

    private static long outside(NDArray distance, NDArray band) {
        if (!distance.getShape().equals(band.getShape())) {
            return distance.size();
        }
        double[] d = distance.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] b = band.toType(DataType.FLOAT64, false).toDoubleArray();
        long bad = 0;
        for (int i = 0; i < d.length; i++) {
            bad += d[i] > b[i] ? 1 : 0;
        }
        return bad;
    }

    /** Top-k against the reference: scores within tolerance, indices equal unless tied. */
    private static void top(
            Verdict v,
            String what,
            TopK got,
            GoldenCase c,
            NDArray scores,
            Tolerance t,
            NDManager m) {
        NDArray expIdx = c.tensor("expected." + what + ".indices", m);
        NDArray expScores = c.tensor("expected." + what + ".scores", m);
        v.compare(what + " scores", t.check(got.scores(), expScores));
        // where an index differs, our score of the expected row must match the expected score
        v.compare(
                what + " our scores at the expected indices",
                t.check(scores.gather(expIdx, 1), expScores));
        long[] a = got.indices().toLongArray();
        long[] e = expIdx.toLongArray();
        int kk = (int) expIdx.getShape().get(1);
        float[] s = scores.toFloatArray();
        long n = scores.getShape().get(1);
        long bad = a.length == e.length ? 0 : Math.abs(a.length - e.length);
        for (int i = 0; i < Math.min(a.length, e.length); i++) {
            if (a[i] != e[i]) {
                double x = s[(int) ((i / kk) * n + a[i])];
                double y = s[(int) ((i / kk) * n + e[i])];
                bad += Math.abs(x - y) <= t.atol() + t.rtol() * Math.abs(y) ? 0 : 1;
            }
        }
        v.check(what + " indices equal or tied", bad == 0, bad + " indices differ without a tie");
    }

    private static List<Checkpoint> checkpoints(GoldenCase c, Path models, String ext) {
        List<Checkpoint> out = new ArrayList<>();
        for (JsonElement e : c.json().getAsJsonArray("checkpoints")) {
            JsonObject o = e.getAsJsonObject();
            out.add(
                    new Checkpoint(
                            models.resolve(o.get("model").getAsString() + ext),
                            o.get("learning_rate").getAsDouble()));
        }
        return out;
    }

    private static Loss loss(JsonObject init) {
        JsonObject o = init.getAsJsonObject("loss_fn");
        Loss.Reduction r =
                Loss.Reduction.valueOf(o.get("reduction").getAsString().toUpperCase(Locale.ROOT));
        String type = o.get("type").getAsString();
        if (type.equals("CrossEntropyLoss")) {
            return Loss.crossEntropy(r);
        }
        if (type.equals("MSELoss")) {
            return Loss.mse(r);
        }
        throw new IllegalArgumentException(
                "loss_fn.type must be CrossEntropyLoss or MSELoss, got " + type);
    }
}
