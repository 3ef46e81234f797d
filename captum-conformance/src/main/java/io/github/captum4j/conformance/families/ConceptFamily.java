package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.concept.CAV;
import io.github.captum4j.concept.Concept;
import io.github.captum4j.concept.DefaultClassifier;
import io.github.captum4j.concept.MeanDifferenceClassifier;
import io.github.captum4j.concept.TCAV;
import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The golden-case logic of the {@code concept} family (TCAV): {@code check} runs one case on the
 * Block form of the model (TCAV needs named layers) and compares scores and CAVs with Captum's
 * (exact cases, MeanDifferenceClassifier) or with the seed statistics (DefaultClassifier: every
 * score within 5 standard deviations of the mean over seeds, sign counts in [0, 1]).
 */
public final class ConceptFamily extends FamilyKeyed {

    /** The {@code concept} family. */
    public ConceptFamily() {
        super("concept", Set.of("seed_stats"));
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return SingleForm.compare(c, ctx, ModelForm.BLOCK, name(), ConceptFamily::check);
    }

    /**
     * Runs one concept case.
     *
     * @param c the case JSON
     * @param fixturesRoot the fixtures folder (with {@code models/})
     * @return the comparison
     * @throws IOException if the model cannot be read
     */
    static Tolerance.Result check(JsonObject c, Path fixturesRoot) throws IOException {
        JsonObject tol = c.getAsJsonObject("tolerance");
        Tolerance tolerance =
                new Tolerance(tol.get("rtol").getAsDouble(), tol.get("atol").getAsDouble());
        Path cache = Files.createTempDirectory("cav");
        try (NDManager m = NDManager.newBaseManager()) {
            ImportedModel model =
                    ImportedModel.load(
                            fixturesRoot
                                    .resolve("models")
                                    .resolve(c.get("model").getAsString() + ".json"),
                            m);
            Map<Integer, Concept> concepts = new HashMap<>();
            for (JsonElement e : c.getAsJsonArray("concepts")) {
                JsonObject o = e.getAsJsonObject();
                NDArray examples = CaseTensors.read(o.get("examples"), m, "concept examples");
                int id = o.get("id").getAsInt();
                concepts.put(id, new Concept(id, o.get("name").getAsString(), List.of(examples)));
            }
            List<List<Concept>> sets = new ArrayList<>();
            for (JsonElement s : c.getAsJsonArray("experimental_sets")) {
                List<Concept> set = new ArrayList<>();
                s.getAsJsonArray().forEach(id -> set.add(concepts.get(id.getAsInt())));
                sets.add(set);
            }
            JsonObject init = c.getAsJsonObject("init_args");
            List<LayerPath> layers = new ArrayList<>();
            init.getAsJsonArray("layers").forEach(l -> layers.add(LayerPath.of(l.getAsString())));
            boolean exact = "MeanDifferenceClassifier".equals(init.get("classifier").getAsString());
            TCAV tcav =
                    new TCAV(
                            model,
                            layers,
                            TCAV.Options.builder(c.get("model").getAsString())
                                    .classifier(
                                            exact
                                                    ? new MeanDifferenceClassifier()
                                                    : new DefaultClassifier(0))
                                    .attributeToLayerInput(
                                            init.get("attribute_to_layer_input").getAsBoolean())
                                    .savePath(cache)
                                    .build());
            NDArray x = CaseTensors.readList(c.get("inputs"), m, "inputs").get(0);
            Target target =
                    Target.index(c.getAsJsonObject("interpret_args").get("target").getAsInt());
            Map<String, Map<String, TCAV.Score>> scores =
                    tcav.interpret(Inputs.of(x), sets, target);
            JsonObject expected = c.getAsJsonObject("expected");
            return exact
                    ? exact(scores, tcav.computeCavs(sets), expected, tolerance, m)
                    : statistical(scores, expected.getAsJsonObject("seed_stats"), tolerance);
        } finally {
            try (var files = Files.walk(cache)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Tolerance.Result exact(
            Map<String, Map<String, TCAV.Score>> scores,
            Map<String, Map<String, CAV>> cavs,
            JsonObject expected,
            Tolerance tolerance,
            NDManager m) {
        Tolerance.Result r = Tolerance.Result.empty();
        JsonObject want = expected.getAsJsonObject("scores");
        for (String key : want.keySet()) {
            for (String layer : want.getAsJsonObject(key).keySet()) {
                JsonObject w = want.getAsJsonObject(key).getAsJsonObject(layer);
                TCAV.Score s = scores.get(key).get(layer);
                r =
                        r.and(
                                tolerance.check(
                                        m.create(s.signCount()),
                                        CaseTensors.read(w.get("sign_count"), m, "sign_count")));
                r =
                        r.and(
                                tolerance.check(
                                        m.create(s.magnitude()),
                                        CaseTensors.read(w.get("magnitude"), m, "magnitude")));
                JsonObject wc =
                        expected.getAsJsonObject("cavs")
                                .getAsJsonObject(key)
                                .getAsJsonObject(layer);
                CAV cav = cavs.get(key).get(layer);
                r =
                        r.and(
                                tolerance.check(
                                        m.create(cav.weights()),
                                        CaseTensors.read(wc.get("weights"), m, "weights")));
                double[] classes = new double[cav.classes().length];
                double[] wantClasses = new double[classes.length];
                for (int k = 0; k < classes.length; k++) {
                    classes[k] = cav.classes()[k];
                    wantClasses[k] = wc.getAsJsonArray("classes").get(k).getAsDouble();
                }
                r = r.and(tolerance.check(classes, wantClasses));
                r =
                        r.and(
                                tolerance.check(
                                        new double[] {cav.accuracy()},
                                        new double[] {wc.get("accs").getAsDouble()}));
            }
        }
        return r;
    }

    private static Tolerance.Result statistical(
            Map<String, Map<String, TCAV.Score>> scores, JsonObject stats, Tolerance tolerance) {
        long far = 0;
        long total = 0;
        double worst = 0;
        String detail = "every score within 5 std of the seed mean";
        JsonObject perSet = stats.getAsJsonObject("scores");
        for (String key : perSet.keySet()) {
            for (String layer : perSet.getAsJsonObject(key).keySet()) {
                JsonObject w = perSet.getAsJsonObject(key).getAsJsonObject(layer);
                TCAV.Score s = scores.get(key).get(layer);
                for (String kind : new String[] {"sign_count", "magnitude"}) {
                    float[] got = kind.equals("sign_count") ? s.signCount() : s.magnitude();
                    float[] mean = CaseTensors.floatData(w.getAsJsonObject(kind).get("mean"), kind);
                    float[] std = CaseTensors.floatData(w.getAsJsonObject(kind).get("std"), kind);
                    for (int i = 0; i < got.length; i++) {
                        total++;
                        double z = Math.abs(got[i] - mean[i]);
                        worst = Math.max(worst, z);
                        boolean ok =
                                z
                                        <= 5 * std[i]
                                                + tolerance.atol()
                                                + tolerance.rtol() * Math.abs(mean[i]);
                        if (kind.equals("sign_count")) {
                            ok &= got[i] >= 0 && got[i] <= 1;
                        }
                        if (!ok) {
                            far++;
                            detail =
                                    key
                                            + "/"
                                            + layer
                                            + " "
                                            + kind
                                            + "["
                                            + i
                                            + "] = "
                                            + got[i]
                                            + ", seed mean "
                                            + mean[i]
                                            + " std "
                                            + std[i];
                        }
                    }
                }
            }
        }
        return new Tolerance.Result(far == 0, worst, 0, far, total, detail);
    }
}
