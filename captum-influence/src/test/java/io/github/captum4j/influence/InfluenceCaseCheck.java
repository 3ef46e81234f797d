package io.github.captum4j.influence;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one golden influence case (README "influence") through the public API only, so the
 * conformance runner can host it as a case family. Exact cases compare every expected item within
 * the case tolerance (proponent / opponent indices exactly, unless the swapped rows tie within
 * tolerance); the projected case is checked by its statistics: the mean over {@value #SEEDS} seeds
 * approaches TracInCPFast and the seed-0 scores lie within a few standard deviations of the
 * reference's seed mean. TracInCP is evaluated on the imported form of the checkpoints, and its
 * scores on the TorchScript form too.
 */
final class InfluenceCaseCheck {

    static final int SEEDS = 30;

    private InfluenceCaseCheck() {}

    /** Whether a case belongs to this family. */
    static boolean handles(JsonObject c) {
        String m = c.get("method").getAsString();
        return m.startsWith("TracInCP") || m.equals("SimilarityInfluence");
    }

    /**
     * Checks one case.
     *
     * @param c the case JSON
     * @param fixturesRoot the folder holding {@code cases/} and {@code models/}
     * @return the combined comparison
     */
    static Result check(JsonObject c, Path fixturesRoot) throws IOException {
        JsonObject tol = c.getAsJsonObject("tolerance");
        Tolerance t = new Tolerance(tol.get("rtol").getAsDouble(), tol.get("atol").getAsDouble());
        JsonObject init = c.getAsJsonObject("init_args");
        JsonObject exp = c.getAsJsonObject("expected");
        String method = c.get("method").getAsString();
        int k = c.get("k").getAsInt();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray trainX = tensor(c, "train_inputs", m);
            NDArray trainY = tensor(c, "train_labels", m);
            Batch test = Batch.of(tensor(c, "test_inputs", m), tensor(c, "test_labels", m));
            List<Batch> train = Batch.split(trainX, trainY, init.get("batch_size").getAsInt());
            Path models = fixturesRoot.resolve("models");
            if (method.equals("SimilarityInfluence")) {
                return similarity(c, init, exp, models, train, test, k, t, m);
            }
            Loss loss = loss(init.getAsJsonObject("loss_fn"));
            switch (method) {
                case "TracInCP":
                    Result r =
                            tracin(
                                    c,
                                    exp,
                                    tracInCP(c, init, models, ".json", train, loss),
                                    test,
                                    k,
                                    t,
                                    m);
                    // the TorchScript form (one backward pass per example): the scores
                    return r.and(
                            t.check(
                                    tracInCP(c, init, models, ".pt", train, loss).influence(test),
                                    tensor(exp, "influence", m)));
                case "TracInCPFast":
                    return tracin(
                            c,
                            exp,
                            new TracInCPFast(
                                    checkpoints(c, models, ".json"),
                                    train,
                                    loss,
                                    LayerPath.of(init.get("final_fc_layer").getAsString())),
                            test,
                            k,
                            t,
                            m);
                case "TracInCPFastRandProj":
                    return randProj(c, init, exp, models, train, test, loss, k, t, m);
                default:
                    throw new IllegalArgumentException("not an influence method: " + method);
            }
        }
    }

    private static TracInCP tracInCP(
            JsonObject c, JsonObject init, Path models, String ext, List<Batch> train, Loss loss) {
        List<LayerPath> layers = null;
        if (!init.get("layers").isJsonNull()) {
            layers = new ArrayList<>();
            for (JsonElement e : init.getAsJsonArray("layers")) {
                layers.add(LayerPath.of(e.getAsString()));
            }
        }
        return new TracInCP(checkpoints(c, models, ext), train, loss, layers);
    }

    private static Result tracin(
            JsonObject c,
            JsonObject exp,
            TrainingInfluence method,
            Batch test,
            int k,
            Tolerance t,
            NDManager m) {
        NDArray scores = method.influence(test);
        Result r = t.check(scores, tensor(exp, "influence", m));
        r = r.and(top(method.proponents(test, k), exp.getAsJsonObject("proponents"), scores, t, m));
        r = r.and(top(method.opponents(test, k), exp.getAsJsonObject("opponents"), scores, t, m));
        if (exp.has("self_influence_train")) {
            r = r.and(t.check(method.selfInfluence(), tensor(exp, "self_influence_train", m)));
        }
        if (exp.has("self_influence_test")) {
            r =
                    r.and(
                            t.check(
                                    method.selfInfluence(List.of(test)),
                                    tensor(exp, "self_influence_test", m)));
        }
        if (exp.has("influence_aggregate")) {
            r =
                    r.and(
                            t.check(
                                    scores.sum(new int[] {0}, true),
                                    tensor(exp, "influence_aggregate", m)));
        }
        return r;
    }

    private static Result randProj(
            JsonObject c,
            JsonObject init,
            JsonObject exp,
            Path models,
            List<Batch> train,
            Batch test,
            Loss loss,
            int k,
            Tolerance t,
            NDManager m) {
        LayerPath fc = LayerPath.of(init.get("final_fc_layer").getAsString());
        Integer dim =
                init.get("projection_dim").isJsonNull()
                        ? null
                        : init.get("projection_dim").getAsInt();
        List<Checkpoint> ckpts = checkpoints(c, models, ".json");
        if (!"statistical".equals(c.get("kind").getAsString())) {
            return tracin(
                    c,
                    exp,
                    new TracInCPFastRandProj(
                            ckpts, train, loss, fc, dim, init.get("seed").getAsInt()),
                    test,
                    k,
                    t,
                    m);
        }
        JsonObject stats = exp.getAsJsonObject("seed_stats");
        NDArray mean = read(stats.getAsJsonArray("mean").get(0), m);
        NDArray std = read(stats.getAsJsonArray("std").get(0), m);
        NDArray fast = tensor(exp, "expected_value_tracincp_fast", m);
        NDArray sum = null;
        NDArray seed0 = null;
        for (int s = 0; s < SEEDS; s++) {
            NDArray scores =
                    new TracInCPFastRandProj(ckpts, train, loss, fc, dim, s).influence(test);
            seed0 = s == 0 ? scores : seed0;
            sum = sum == null ? scores : sum.add(scores);
        }
        NDArray ourMean = sum.div(SEEDS);
        // unbiased: |our mean - TracInCPFast| within 5 standard errors (+ the case's atol)
        double[] d =
                ourMean.sub(fast)
                        .abs()
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
        double[] se =
                std.div(Math.sqrt(SEEDS))
                        .mul(5)
                        .add(t.atol())
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
        long bad = 0;
        for (int i = 0; i < d.length; i++) {
            bad += d[i] > se[i] ? 1 : 0;
        }
        // one draw lies within 5 std of the reference's seed mean
        double[] z =
                seed0.sub(mean)
                        .abs()
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
        double[] band =
                std.mul(5)
                        .add(t.atol())
                        .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                        .toDoubleArray();
        for (int i = 0; i < z.length; i++) {
            bad += z[i] > band[i] ? 1 : 0;
        }
        return Result.failed(bad, bad + " elements outside the statistical bands");
    }

    private static Result similarity(
            JsonObject c,
            JsonObject init,
            JsonObject exp,
            Path models,
            List<Batch> train,
            Batch test,
            int k,
            Tolerance t,
            NDManager m)
            throws IOException {
        String ckpt = init.get("checkpoint").getAsString();
        List<LayerPath> layers = new ArrayList<>();
        for (JsonElement e : init.getAsJsonArray("layers")) {
            layers.add(LayerPath.of(e.getAsString()));
        }
        String metricName = init.get("similarity_metric").getAsString();
        SimilarityMetric metric =
                metricName.equals("cosine_similarity")
                        ? SimilarityMetric.COSINE
                        : SimilarityMetric.EUCLIDEAN;
        List<NDList> inputs = new ArrayList<>();
        for (Batch b : train) {
            inputs.add(b.inputs());
        }
        try (ImportedModel model = ImportedModel.load(models.resolve(ckpt + ".json"), m)) {
            Map<String, TopK> got =
                    new SimilarityInfluence(model, layers, inputs, metric)
                            .influence(test.inputs(), k);
            Result r = Result.empty();
            JsonObject infl = exp.getAsJsonObject("influences");
            for (LayerPath l : layers) {
                JsonObject e = infl.getAsJsonObject(l.name());
                TopK g = got.get(l.name());
                r = r.and(t.check(g.scores(), tensor(e, "values", m)));
                r = r.and(indices(g.indices(), tensor(e, "indices", m)));
            }
            return r;
        }
    }

    /** Top-k against the reference: scores within tolerance, indices equal unless tied. */
    private static Result top(TopK got, JsonObject exp, NDArray scores, Tolerance t, NDManager m) {
        NDArray expIdx = tensor(exp, "indices", m);
        NDArray expScores = tensor(exp, "scores", m);
        Result r = t.check(got.scores(), expScores);
        // where an index differs, our score of the expected row must match the expected score
        NDArray ourAtExpected = scores.gather(expIdx, 1);
        return r.and(t.check(ourAtExpected, expScores)).and(indicesOrTies(got, expIdx, scores, t));
    }

    private static Result indicesOrTies(TopK got, NDArray expIdx, NDArray scores, Tolerance t) {
        long[] a = got.indices().toLongArray();
        long[] e = expIdx.toLongArray();
        int k = (int) expIdx.getShape().get(1);
        float[] s = scores.toFloatArray();
        long n = scores.getShape().get(1);
        long bad = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != e[i]) {
                double x = s[(int) ((i / k) * n + a[i])];
                double y = s[(int) ((i / k) * n + e[i])];
                bad += Math.abs(x - y) <= t.atol() + t.rtol() * Math.abs(y) ? 0 : 1;
            }
        }
        return Result.failed(bad, bad + " indices differ");
    }

    private static Result indices(NDArray got, NDArray exp) {
        long[] a = got.toLongArray();
        long[] e = exp.toLongArray();
        long bad = 0;
        for (int i = 0; i < Math.min(a.length, e.length); i++) {
            bad += a[i] == e[i] ? 0 : 1;
        }
        bad += Math.abs(a.length - e.length);
        return Result.failed(bad, bad + " indices differ");
    }

    private static List<Checkpoint> checkpoints(JsonObject c, Path models, String ext) {
        List<Checkpoint> out = new ArrayList<>();
        for (JsonElement e : c.getAsJsonArray("checkpoints")) {
            JsonObject o = e.getAsJsonObject();
            out.add(
                    new Checkpoint(
                            models.resolve(o.get("model").getAsString() + ext),
                            o.get("learning_rate").getAsDouble()));
        }
        return out;
    }

    private static Loss loss(JsonObject o) {
        Loss.Reduction r =
                Loss.Reduction.valueOf(
                        o.get("reduction").getAsString().toUpperCase(java.util.Locale.ROOT));
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

    private static NDArray tensor(JsonObject o, String key, NDManager m) {
        return read(o.get(key), m);
    }

    /** A case tensor {@code {"shape", "dtype", "data"}} (fixtures README "Case JSON"). */
    private static NDArray read(JsonElement value, NDManager m) {
        JsonObject o = value.getAsJsonObject();
        JsonArray dims = o.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        JsonArray data = o.getAsJsonArray("data");
        if (o.get("dtype").getAsString().equals("int64")) {
            long[] v = new long[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).getAsLong();
            }
            return m.create(v, new Shape(shape));
        }
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i).getAsFloat();
        }
        return m.create(v, new Shape(shape));
    }

    /**
     * A case tolerance: pass if {@code |actual - expected| <= atol + rtol |expected|} everywhere.
     */
    record Tolerance(double rtol, double atol) {

        Result check(NDArray actual, NDArray expected) {
            if (!actual.getShape().equals(expected.getShape())) {
                return Result.failed(
                        1, "shape " + actual.getShape() + " instead of " + expected.getShape());
            }
            double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
            double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
            double maxAbs = 0;
            long bad = 0;
            String worst = "";
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - e[i]);
                maxAbs = Math.max(maxAbs, d);
                if (!(d <= atol + rtol * Math.abs(e[i]))) {
                    bad++;
                    worst = "index " + i + ": " + a[i] + " instead of " + e[i];
                }
            }
            return new Result(bad == 0, maxAbs, bad, worst);
        }
    }

    /**
     * The outcome of the checks of a case.
     *
     * @param passed whether every check passed
     * @param maxAbs the largest absolute error of the value checks
     * @param failures elements (or indices) out of tolerance
     * @param detail the last failure, or empty
     */
    record Result(boolean passed, double maxAbs, long failures, String detail) {

        static Result empty() {
            return new Result(true, 0, 0, "");
        }

        static Result failed(long failures, String detail) {
            return new Result(failures == 0, 0, failures, failures == 0 ? "" : detail);
        }

        Result and(Result other) {
            return new Result(
                    passed && other.passed,
                    Math.max(maxAbs, other.maxAbs),
                    failures + other.failures,
                    other.passed ? detail : other.detail);
        }

        @Override
        public String toString() {
            return (passed ? "pass" : "FAIL")
                    + String.format(" max_abs=%.3e", maxAbs)
                    + (passed ? "" : " (" + failures + " out of tolerance; " + detail + ")");
        }
    }
}
