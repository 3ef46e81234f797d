package io.github.captum4j.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.internal.fixtures.FixtureTensors;
import io.github.captum4j.core.internal.fixtures.Tolerance;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The check of one golden case of the {@code llm} family (fixtures README, section "llm"): exact
 * cases within the case's tolerance, statistical ones by their seed statistics and by the exact
 * Shapley values they estimate. Self-contained so that it can move to the conformance runner.
 */
final class LLMCaseCheck {

    /** Java seeds run per statistical case. */
    static final int SEEDS = 12;

    private LLMCaseCheck() {}

    /**
     * Checks one case.
     *
     * @param c the case JSON
     * @param fixturesRoot the fixtures folder (with {@code models/})
     */
    static void check(JsonObject c, Path fixturesRoot) {
        String name = c.get("case").getAsString();
        Path models = fixturesRoot.resolve("models");
        JsonObject expected = c.getAsJsonObject("expected");
        JsonObject tol = c.getAsJsonObject("tolerance");
        Tolerance tolerance = new Tolerance(tol.get("rtol").getAsDouble(), tol.get("atol").getAsDouble());
        String[] method = c.get("method").getAsString().split("/");
        try (HfTokenizer tokenizer = HfTokenizer.load(models.resolve(c.get("tokenizer").getAsString()))) {
            InterpretableInput<?> input = input(c.getAsJsonObject("input"), tokenizer);
            LLMTarget target = target(c.getAsJsonObject("attribute_args"));
            JsonObject args = c.getAsJsonObject("attribute_args");
            LLMAttributionResult r;
            if (method[0].equals("LLMGradientAttribution")) {
                try (TorchScriptModel model =
                        TorchScriptModel.load(fixturesRoot.resolve("taps").resolve(c.get("model").getAsString() + ".pt"))) {
                    LLMGradientAttribution<LayerIntegratedGradients.Options> llm =
                            new LLMGradientAttribution<>(
                                    LayerIntegratedGradients::new,
                                    model,
                                    LayerPath.of(c.getAsJsonObject("init_args").get("layer").getAsString()),
                                    tokenizer);
                    LayerIntegratedGradients.Options o = LayerIntegratedGradients.Options.builder()
                            .nSteps(args.has("n_steps") ? args.get("n_steps").getAsInt() : 50)
                            .build();
                    r = llm.attribute((TextTokenInput) input, target, o);
                }
                compareExact(name, r, expected, tolerance);
                return;
            }
            LLMAttribution.AttrTarget attrTarget =
                    "prob".equals(c.getAsJsonObject("init_args").get("attr_target").getAsString())
                            ? LLMAttribution.AttrTarget.PROB
                            : LLMAttribution.AttrTarget.LOG_PROB;
            int nSamples = args.has("n_samples") ? args.get("n_samples").getAsInt() : 25;
            try (TorchScriptModel model = TorchScriptModel.load(models.resolve(c.get("model").getAsString() + ".pt"))) {
                if (c.get("kind").getAsString().equals("exact")) {
                    r = run(method[1], model, tokenizer, attrTarget, input, target, nSamples, 0);
                    compareExact(name, r, expected, tolerance);
                } else {
                    checkStatistical(name, method[1], model, tokenizer, attrTarget, input, target, nSamples, expected, tolerance);
                }
            }
        }
    }

    static LLMAttributionResult run(
            String method,
            ForwardFunction model,
            Tokenizer tokenizer,
            LLMAttribution.AttrTarget attrTarget,
            InterpretableInput<?> input,
            LLMTarget target,
            int nSamples,
            int seed) {
        switch (method) {
            case "FeatureAblation":
                return llm(FeatureAblation::new, model, tokenizer, attrTarget)
                        .attribute(input, target, FeatureAblation.Options.DEFAULTS);
            case "ShapleyValues":
                return llm(ShapleyValues::new, model, tokenizer, attrTarget)
                        .attribute(input, target, ShapleyValues.Options.DEFAULTS);
            case "ShapleyValueSampling":
                return llm(ShapleyValueSampling::new, model, tokenizer, attrTarget)
                        .attribute(input, target, ShapleyValueSampling.Options.builder()
                                .nSamples(nSamples).seed(seed).build());
            case "KernelShap":
                return llm(KernelShap::new, model, tokenizer, attrTarget)
                        .attribute(input, target, Lime.Options.builder().nSamples(nSamples).seed(seed).build());
            case "Lime":
                return llm(Lime::new, model, tokenizer, attrTarget)
                        .attribute(input, target, Lime.Options.builder().nSamples(nSamples).seed(seed).build());
            default:
                throw new AssertionError("unknown llm method " + method);
        }
    }

    private static <O extends Record> LLMAttribution<O> llm(
            Function<ForwardFunction, ? extends AttributionMethod<O>> m,
            ForwardFunction model,
            Tokenizer tokenizer,
            LLMAttribution.AttrTarget attrTarget) {
        return new LLMAttribution<>(m, model, tokenizer, attrTarget, 16);
    }

    static InterpretableInput<?> input(JsonObject in, Tokenizer tokenizer) {
        String type = in.get("type").getAsString();
        if (type.equals("TextTemplateInput")) {
            List<String> values = strings(in.get("values"));
            List<String> baselines = isNull(in.get("baselines")) ? null : strings(in.get("baselines"));
            int[] mask = null;
            if (!isNull(in.get("mask"))) {
                JsonArray a = in.getAsJsonArray("mask");
                mask = new int[a.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = a.get(i).getAsInt();
                }
            }
            return new TextTemplateInput(in.get("template").getAsString(), values, baselines, mask);
        }
        JsonElement b = in.get("baselines");
        long baseline = b.getAsJsonPrimitive().isNumber() ? b.getAsLong() : tokenizer.tokenToId(b.getAsString());
        return TextTokenInput.of(in.get("text").getAsString(), tokenizer, baseline, ids(in.get("skip_tokens"), tokenizer));
    }

    static LLMTarget target(JsonObject args) {
        if (isNull(args.get("target"))) {
            return LLMTarget.generate(args.getAsJsonObject("gen_args").get("max_new_tokens").getAsInt());
        }
        String text = args.get("target").getAsString();
        JsonElement skip = args.get("skip_tokens");
        if (isNull(skip) || skip.getAsJsonArray().isEmpty()) {
            return LLMTarget.text(text);
        }
        JsonArray a = skip.getAsJsonArray();
        if (a.get(0).getAsJsonPrimitive().isNumber()) {
            long[] ids = new long[a.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = a.get(i).getAsLong();
            }
            return LLMTarget.textSkippingIds(text, ids);
        }
        return LLMTarget.text(text, strings(a));
    }

    private static long[] ids(JsonElement skip, Tokenizer tokenizer) {
        if (isNull(skip)) {
            return null;
        }
        JsonArray a = skip.getAsJsonArray();
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonElement e = a.get(i);
            ids[i] = e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : tokenizer.tokenToId(e.getAsString());
        }
        return ids;
    }

    private static boolean isNull(JsonElement e) {
        return e == null || e.isJsonNull();
    }

    private static List<String> strings(JsonElement e) {
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            out.add(x.getAsString());
        }
        return out;
    }

    private static long[] longs(JsonElement e) {
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] tensor(JsonElement e, String where) {
        return doubles(FixtureTensors.floatData(e, where));
    }

    static double[] flat(float[][] rows) {
        int n = 0;
        for (float[] r : rows) {
            n += r.length;
        }
        double[] out = new double[n];
        int i = 0;
        for (float[] r : rows) {
            for (float v : r) {
                out[i++] = v;
            }
        }
        return out;
    }

    private static void compareCommon(String name, LLMAttributionResult r, JsonObject e, Tolerance t) {
        assertThat(r.inputTokens()).as(name + " input_tokens").isEqualTo(strings(e.get("input_tokens")));
        assertThat(r.outputTokens()).as(name + " output_tokens").isEqualTo(strings(e.get("output_tokens")));
        assertThat(r.targetIds()).as(name + " target_token_ids").isEqualTo(longs(e.get("target_token_ids")));
        assertThat(r.promptIds()).as(name + " model_input_ids").isEqualTo(longs(e.get("model_input_ids")));
        Tolerance.Result lp = t.check(doubles(r.logProbs()), tensor(e.get("unperturbed_log_probs"), name));
        assertThat(lp.passed()).as(name + " unperturbed_log_probs " + lp).isTrue();
    }

    private static void compareExact(String name, LLMAttributionResult r, JsonObject e, Tolerance t) {
        compareCommon(name, r, e, t);
        Tolerance.Result seq = t.check(doubles(r.seqAttr()), tensor(e.get("seq_attr"), name));
        assertThat(seq.passed()).as(name + " seq_attr " + seq).isTrue();
        if (isNull(e.get("token_attr"))) {
            assertThat(r.tokenAttr()).as(name + " token_attr").isEmpty();
        } else {
            Tolerance.Result tok = t.check(flat(r.tokenAttr().orElseThrow()), tensor(e.get("token_attr"), name));
            assertThat(tok.passed()).as(name + " token_attr " + tok).isTrue();
        }
    }

    /**
     * Seed statistics: the mean of {@link #SEEDS} Java runs lies within 4 standard errors of the
     * reference mean; ShapleyValueSampling's mean also within 4 standard errors of the exact
     * Shapley values it is unbiased for, and every run is efficient.
     */
    private static void checkStatistical(
            String name, String method, ForwardFunction model, Tokenizer tokenizer,
            LLMAttribution.AttrTarget attrTarget, InterpretableInput<?> input, LLMTarget target,
            int nSamples, JsonObject e, Tolerance t) {
        JsonObject stats = e.getAsJsonObject("seed_stats");
        int nRef = stats.get("n_seeds").getAsInt();
        JsonObject seqStats = stats.getAsJsonObject("seq_attr");
        double[] refMean = tensor(seqStats.get("mean"), name);
        double[] refStd = tensor(seqStats.get("std"), name);
        int n = refMean.length;
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        LLMAttributionResult first = null;
        for (int s = 0; s < SEEDS; s++) {
            LLMAttributionResult r = run(method, model, tokenizer, attrTarget, input, target, nSamples, s);
            if (first == null) {
                first = r;
                compareCommon(name, r, e, t);
            }
            float[] seq = r.seqAttr();
            assertThat(seq).as(name + " seq_attr length").hasSize(n);
            for (int i = 0; i < n; i++) {
                sum[i] += seq[i];
                sumSq[i] += (double) seq[i] * seq[i];
            }
            if (method.equals("ShapleyValueSampling")) {
                assertEfficient(name, r, model, tokenizer, input, t);
            }
        }
        for (int i = 0; i < n; i++) {
            double mean = sum[i] / SEEDS;
            double sd = Math.sqrt(Math.max(0, sumSq[i] / SEEDS - mean * mean));
            double se = Math.sqrt(refStd[i] * refStd[i] / nRef + sd * sd / SEEDS);
            assertThat(Math.abs(mean - refMean[i]))
                    .as("%s feature %d: Java mean %s vs reference seed mean %s (se %s)", name, i, mean, refMean[i], se)
                    .isLessThanOrEqualTo(4 * se + t.atol());
            if (method.equals("ShapleyValueSampling") && e.has("exact_shapley_values")) {
                double exact = tensor(e.getAsJsonObject("exact_shapley_values").get("seq_attr"), name)[i];
                assertThat(Math.abs(mean - exact))
                        .as("%s feature %d: SVS mean %s vs exact Shapley %s", name, i, mean, exact)
                        .isLessThanOrEqualTo(4 * sd / Math.sqrt(SEEDS) + 1e-4);
            }
        }
    }

    /** Efficiency: the attributions of one run sum to F(all present) - F(all absent). */
    static void assertEfficient(
            String name, LLMAttributionResult r, ForwardFunction model, Tokenizer tokenizer,
            InterpretableInput<?> input, Tolerance t) {
        float[] zeros = new float[input.featureCount()];
        long[] empty = LLMAttribution.promptIds(input.toModelInput(zeros), tokenizer);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            float[] lp = new CausalLMScorer(model, 8).logProbs(List.of(empty), r.targetIds(), m)[0];
            float gap = r.logProbs()[0] - LLMAttribution.withSum(lp)[0];
            double total = 0;
            for (float v : r.seqAttr()) {
                total += v;
            }
            assertThat(total).as(name + " efficiency").isCloseTo(gap, org.assertj.core.data.Offset.offset(1e-3 + 1e-4 * Math.abs(gap)));
        }
    }
}
