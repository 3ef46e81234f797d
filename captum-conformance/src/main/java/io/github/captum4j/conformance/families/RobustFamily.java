package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.robust.AttackComparator;
import io.github.captum4j.robust.FGSM;
import io.github.captum4j.robust.Loss;
import io.github.captum4j.robust.MinParamPerturbation;
import io.github.captum4j.robust.Norm;
import io.github.captum4j.robust.PGD;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The golden-case logic of the {@code robust} family (FGSM, PGD, MinParamPerturbation,
 * AttackComparator): {@code check} runs one case and compares it with Captum's numbers, or with the
 * properties a statistical case records.
 */
public final class RobustFamily extends FamilyKeyed {

    /** The {@code robust} family. */
    public RobustFamily() {
        super("robust", Set.of("seed_stats", "properties"));
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return SingleForm.compare(c, ctx, ModelForm.TORCHSCRIPT, name(), RobustFamily::check);
    }

    /**
     * Runs one robust case.
     *
     * @param c the case JSON
     * @param fixturesRoot the fixtures folder (with {@code models/})
     * @return the comparison
     */
    static Tolerance.Result check(JsonObject c, Path fixturesRoot) {
        TorchScriptModel model =
                TorchScriptModel.load(
                        fixturesRoot
                                .resolve("models")
                                .resolve(c.get("model").getAsString() + ".pt"));
        JsonObject tol = c.getAsJsonObject("tolerance");
        Tolerance tolerance =
                new Tolerance(tol.get("rtol").getAsDouble(), tol.get("atol").getAsDouble());
        try (NDManager m = NDManager.newBaseManager()) {
            String method = c.get("method").getAsString();
            return switch (method) {
                case "FGSM", "PGD" -> attack(c, model, tolerance, m);
                case "MinParamPerturbation" -> minParam(c, model, tolerance, m);
                case "AttackComparator" -> comparator(c, model, tolerance, m);
                default -> throw new IllegalArgumentException("not a robust method: " + method);
            };
        } finally {
            model.block().close();
        }
    }

    private static Tolerance.Result attack(
            JsonObject c, TorchScriptModel model, Tolerance tolerance, NDManager m) {
        ForwardFunction f = model.forwardFunction();
        if ("softmax".equals(string(c, "forward_func"))) {
            ForwardFunction base = f;
            f = (x, a) -> base.forward(x, a).softmax(1);
        }
        JsonObject init = c.getAsJsonObject("init_args");
        JsonObject args = c.getAsJsonObject("perturb_args");
        Loss loss = loss(string(init, "loss_func"));
        double lo = bound(init, "lower_bound", Double.NEGATIVE_INFINITY);
        double hi = bound(init, "upper_bound", Double.POSITIVE_INFINITY);
        NDList inputs = CaseTensors.readList(c.get("inputs"), m, "inputs");
        Inputs in = Inputs.of(inputs);
        Target target = target(args.get("target"));
        NDList mask =
                args.has("mask") && !args.get("mask").isJsonNull()
                        ? new NDList(CaseTensors.read(args.get("mask"), m, "mask"))
                        : null;
        boolean targeted = args.has("targeted") && args.get("targeted").getAsBoolean();
        NDList out;
        PGD.Options pgdOptions = null;
        if (c.get("method").getAsString().equals("FGSM")) {
            out =
                    new FGSM(f, loss, lo, hi)
                            .perturb(
                                    in,
                                    target,
                                    new FGSM.Options(
                                            args.get("epsilon").getAsDouble(), targeted, mask));
        } else {
            pgdOptions =
                    PGD.Options.builder(
                                    args.get("radius").getAsDouble(),
                                    args.get("step_size").getAsDouble(),
                                    args.get("step_num").getAsInt())
                            .targeted(targeted)
                            .randomStart(args.get("random_start").getAsBoolean())
                            .norm(args.get("norm").getAsString().equals("L2") ? Norm.L2 : Norm.LINF)
                            .mask(mask)
                            .seed(0)
                            .build();
            out = new PGD(f, loss, lo, hi).perturb(in, target, pgdOptions);
        }
        JsonObject expected = c.getAsJsonObject("expected");
        if (!"statistical".equals(string(c, "kind"))) {
            NDList want = CaseTensors.readList(expected.get("perturbed"), m, "expected.perturbed");
            Tolerance.Result r = Tolerance.Result.empty();
            for (int i = 0; i < want.size(); i++) {
                r = r.and(tolerance.check(out.get(i), want.get(i)));
            }
            return r;
        }
        return randomStartProperties(
                expected, inputs.get(0), out.get(0), pgdOptions, lo, hi, tolerance, m);
    }

    /** Statistical PGD: inside the ball (+1e-6) and the bounds; within 5 std of the seed mean. */
    private static Tolerance.Result randomStartProperties(
            JsonObject expected,
            NDArray x,
            NDArray out,
            PGD.Options options,
            double lo,
            double hi,
            Tolerance tolerance,
            NDManager m) {
        NDArray d = out.sub(x);
        long n = d.getShape().get(0);
        double dist =
                options.norm() == Norm.LINF
                        ? d.abs().max().getFloat()
                        : d.reshape(n, -1).norm(new int[] {1}).max().getFloat();
        boolean inside = dist <= options.radius() + 1e-6;
        boolean bounded = out.min().getFloat() >= lo && out.max().getFloat() <= hi;
        JsonObject stats = expected.getAsJsonObject("seed_stats");
        NDArray mean = CaseTensors.readList(stats.get("mean"), m, "mean").get(0);
        NDArray std = CaseTensors.readList(stats.get("std"), m, "std").get(0);
        float[] o = out.toFloatArray();
        float[] mu = mean.toFloatArray();
        float[] sd = std.toFloatArray();
        long far = 0;
        double worst = 0;
        for (int i = 0; i < o.length; i++) {
            double z = Math.abs(o[i] - mu[i]);
            double allowed = 5 * sd[i] + tolerance.atol() + tolerance.rtol() * Math.abs(mu[i]);
            worst = Math.max(worst, z);
            if (z > allowed) {
                far++;
            }
        }
        boolean passed = inside && bounded && far == 0;
        return new Tolerance.Result(
                passed,
                worst,
                0,
                far + (inside ? 0 : 1) + (bounded ? 0 : 1),
                o.length,
                "distance "
                        + dist
                        + " (radius "
                        + options.radius()
                        + "), within bounds "
                        + bounded
                        + ", "
                        + far
                        + " elements beyond 5 std of the seed mean");
    }

    private static Tolerance.Result minParam(
            JsonObject c, TorchScriptModel model, Tolerance tolerance, NDManager m) {
        JsonObject init = c.getAsJsonObject("init_args");
        JsonObject attackJson = c.getAsJsonObject("attack");
        MinParamPerturbation.Attack attack = paramAttack(attackJson, m);
        MinParamPerturbation.Options options =
                MinParamPerturbation.Options.builder(
                                init.get("arg_name").getAsString(),
                                init.get("arg_min").getAsDouble(),
                                init.get("arg_max").getAsDouble(),
                                init.get("arg_step").getAsDouble())
                        .mode(
                                init.get("mode").getAsString().equals("binary")
                                        ? MinParamPerturbation.Mode.BINARY
                                        : MinParamPerturbation.Mode.LINEAR)
                        .numAttempts(init.get("num_attempts").getAsInt())
                        .build();
        JsonObject eval = c.getAsJsonObject("evaluate_args");
        NDList inputs = CaseTensors.readList(c.get("inputs"), m, "inputs");
        Optional<MinParamPerturbation.Result> r =
                new MinParamPerturbation(model.forwardFunction(), attack, options)
                        .evaluate(
                                Inputs.of(inputs),
                                target(eval.get("target")),
                                eval.get("perturbations_per_eval").getAsInt());
        JsonObject expected = c.getAsJsonObject("expected");
        if (expected.get("min_param").isJsonNull()) {
            return new Tolerance.Result(
                    r.isEmpty(),
                    0,
                    0,
                    r.isEmpty() ? 0 : 1,
                    1,
                    "expected no failing value, got " + r.map(x -> x.value()).orElse(null));
        }
        if (r.isEmpty()) {
            return new Tolerance.Result(
                    false, Double.POSITIVE_INFINITY, 0, 1, 1, "no failing value found");
        }
        Tolerance.Result param =
                tolerance.check(
                        new double[] {r.get().value()},
                        new double[] {expected.get("min_param").getAsDouble()});
        NDList want = CaseTensors.readList(expected.get("perturbed"), m, "expected.perturbed");
        return param.and(tolerance.check(r.get().perturbed().get(0), want.get(0)));
    }

    private static MinParamPerturbation.Attack paramAttack(JsonObject a, NDManager m) {
        String type = a.get("type").getAsString();
        if (type.equals("fixed_noise")) {
            NDArray noise = CaseTensors.read(a.get("noise"), m, "attack.noise");
            return (x, std) -> new NDList(x.get(0).add(noise.mul((float) std)));
        }
        if (type.equals("drop_features")) {
            JsonArray order = a.getAsJsonArray("order");
            float fill = a.get("fill").getAsFloat();
            return (x, k) -> {
                NDArray in = x.get(0);
                long n = in.getShape().get(0);
                float[] flat = in.toFloatArray();
                int per = (int) (flat.length / n);
                for (int e = 0; e < n; e++) {
                    for (int j = 0; j < (int) k && j < order.size(); j++) {
                        flat[e * per + order.get(j).getAsInt()] = fill;
                    }
                }
                return new NDList(in.getManager().create(flat, in.getShape()));
            };
        }
        throw new IllegalArgumentException("unknown attack type " + type);
    }

    private static Tolerance.Result comparator(
            JsonObject c, TorchScriptModel model, Tolerance tolerance, NDManager m) {
        ForwardFunction f = model.forwardFunction();
        String metricName = c.getAsJsonObject("init_args").get("metric").getAsString();
        AttackComparator.Metric metric =
                metricName.equals("target_logit")
                        ? AttackComparator.Metric.targetLogit()
                        : AttackComparator.Metric.accuracyAndTargetProbability();
        AttackComparator cmp = new AttackComparator(f, metric);
        for (JsonElement e : c.getAsJsonArray("attacks")) {
            JsonObject a = e.getAsJsonObject();
            int attempts = a.get("num_attempts").getAsInt();
            cmp.addAttack(
                    new AttackComparator.AttackSpec(
                            a.get("name").getAsString(), comparedAttack(a, f, m), attempts, true));
        }
        Tolerance.Result r = Tolerance.Result.empty();
        for (JsonElement e : c.getAsJsonArray("evaluations")) {
            JsonObject ev = e.getAsJsonObject();
            NDArray x = CaseTensors.read(ev.get("inputs"), m, "evaluations.inputs");
            AttackComparator.Evaluation got =
                    cmp.evaluate(
                            Inputs.of(x),
                            target(ev.getAsJsonObject("kwargs").get("target")),
                            ev.get("perturbations_per_eval").getAsInt());
            JsonObject want = ev.getAsJsonObject("expected");
            r = r.and(values(got.original(), want.get(AttackComparator.ORIGINAL), tolerance, m));
            for (Map.Entry<String, AttackComparator.AttackResult> a : got.attacks().entrySet()) {
                JsonObject w = want.getAsJsonObject(a.getKey());
                r = r.and(values(a.getValue().mean(), w.get("mean"), tolerance, m));
                if (w.has("min")) {
                    r = r.and(values(a.getValue().min(), w.get("min"), tolerance, m));
                    r = r.and(values(a.getValue().max(), w.get("max"), tolerance, m));
                }
            }
        }
        JsonObject summary = c.getAsJsonObject("expected").getAsJsonObject("summary");
        Map<String, List<AttackComparator.MetricValue>> s = cmp.summary();
        if (!s.keySet().equals(summary.keySet())) {
            return new Tolerance.Result(
                    false,
                    Double.POSITIVE_INFINITY,
                    0,
                    1,
                    1,
                    "summary keys " + s.keySet() + " != " + summary.keySet());
        }
        for (String key : summary.keySet()) {
            r = r.and(values(s.get(key), summary.getAsJsonObject(key).get("mean"), tolerance, m));
        }
        return r;
    }

    private static AttackComparator.Attack comparedAttack(
            JsonObject a, ForwardFunction f, NDManager m) {
        String type = a.get("type").getAsString();
        if (type.equals("noise_cycle")) {
            NDList noises = CaseTensors.readList(a.get("noises"), m, "noises");
            int[] calls = {0};
            return (x, t) -> new NDList(x.get(0).add(noises.get(calls[0]++ % noises.size())));
        }
        Loss loss = loss(string(a.getAsJsonObject("init_args"), "loss_func"));
        JsonObject kw = a.getAsJsonObject("attack_kwargs");
        if (type.equals("FGSM")) {
            FGSM fgsm = new FGSM(f, loss, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            FGSM.Options o = FGSM.Options.of(kw.get("epsilon").getAsDouble());
            return (x, t) -> fgsm.perturb(Inputs.of(x), t, o);
        }
        PGD pgd = new PGD(f, loss, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        PGD.Options o =
                PGD.Options.builder(
                                kw.get("radius").getAsDouble(),
                                kw.get("step_size").getAsDouble(),
                                kw.get("step_num").getAsInt())
                        .build();
        return (x, t) -> pgd.perturb(Inputs.of(x), t, o);
    }

    /** A metric value (one tensor or a list of tensors) against the expected JSON. */
    private static Tolerance.Result values(
            List<AttackComparator.MetricValue> got,
            JsonElement want,
            Tolerance tolerance,
            NDManager m) {
        NDList expected =
                want.isJsonArray()
                        ? CaseTensors.readList(want, m, "metric")
                        : new NDList(CaseTensors.read(want, m, "metric"));
        if (expected.size() != got.size()) {
            return new Tolerance.Result(
                    false,
                    Double.POSITIVE_INFINITY,
                    0,
                    1,
                    1,
                    "metric has " + got.size() + " tensors, expected " + expected.size());
        }
        Tolerance.Result r = Tolerance.Result.empty();
        for (int i = 0; i < got.size(); i++) {
            AttackComparator.MetricValue v = got.get(i);
            NDArray actual = m.create(v.values(), new Shape(v.shape()));
            r = r.and(tolerance.check(actual, expected.get(i)));
        }
        return r;
    }

    static Target target(JsonElement t) {
        if (t.isJsonPrimitive()) {
            return Target.index(t.getAsInt());
        }
        JsonArray data =
                t.isJsonArray() ? t.getAsJsonArray() : t.getAsJsonObject().getAsJsonArray("data");
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = data.get(i).getAsInt();
        }
        boolean scalar =
                t.isJsonObject() && t.getAsJsonObject().getAsJsonArray("shape").size() == 0;
        return scalar ? Target.index(idx[0]) : Target.perExample(idx);
    }

    private static Loss loss(String name) {
        if (name == null) {
            return null;
        }
        if (name.equals("cross_entropy_none")) {
            return Loss.crossEntropy();
        }
        throw new IllegalArgumentException("unknown loss_func " + name);
    }

    private static double bound(JsonObject o, String key, double none) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : none;
    }

    private static String string(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }
}
