package io.github.captum4j.conformance.families;

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
import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.ModelForm;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.llm.HfTokenizer;
import io.github.captum4j.llm.InterpretableInput;
import io.github.captum4j.llm.LLMAttribution;
import io.github.captum4j.llm.LLMAttributionResult;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;
import io.github.captum4j.llm.TextTemplateInput;
import io.github.captum4j.llm.TextTokenInput;
import io.github.captum4j.llm.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code llm} cases (fixtures README "llm"): {@code LLMAttribution} over a perturbation method
 * and {@code LLMGradientAttribution} over LayerIntegratedGradients on both forms of the causal LM:
 * the TorchScript module (the layer method on its {@code taps/} export) and the imported Block model
 * ({@code tiny_gpt.json}, the graph executor's transformer blocks, its own layer access). Exact
 * cases compare tokens and ids exactly and log-probabilities and attributions within the case's
 * tolerance; statistical cases compare the mean of {@value #SEEDS} seeded runs with the recorded
 * seed statistics, and for ShapleyValueSampling with the exact Shapley values it is unbiased for
 * (each run efficient: its attributions sum to the exact Shapley values' sum).
 */
public final class LlmFamily extends FamilyKeyed {

    /** Java seeds run per statistical case. */
    static final int SEEDS = 12;

    /** Batch size of the perturbed prompts. */
    private static final int BATCH = 16;

    /** The {@code llm} family. */
    public LlmFamily() {
        super("llm", Set.of("seed_stats", "exact_shapley_values"));
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(c, (form, model, m) -> check(c, ctx.root().dir(), form, model));
    }

    private static Verdict check(GoldenCase c, Path root, ModelForm form, ForwardFunction model) {
        JsonObject json = c.json();
        JsonObject expected = json.getAsJsonObject("expected");
        JsonObject args = json.getAsJsonObject("attribute_args");
        JsonObject init = json.getAsJsonObject("init_args");
        Tolerance t = c.tolerance();
        String[] method = c.method().split("/");
        if (method.length != 2) {
            throw new IllegalArgumentException(
                    "method must be <wrapper>/<method>, got " + c.method());
        }
        Path tokenizerFile = root.resolve("models").resolve(json.get("tokenizer").getAsString());
        try (HfTokenizer tokenizer = HfTokenizer.load(tokenizerFile)) {
            InterpretableInput<?> input = input(json.getAsJsonObject("input"), tokenizer);
            LLMTarget target = target(args);
            Verdict v = new Verdict();
            if (method[0].equals("LLMGradientAttribution")) {
                Path taps = root.resolve("taps").resolve(c.model() + ".pt");
                if (form == ModelForm.TORCHSCRIPT && !taps.toFile().isFile()) {
                    return Verdict.skipped("no taps/" + c.model() + ".pt");
                }
                LLMAttributionResult r;
                // the Block form is its own layer access; TorchScript needs the taps export
                try (TorchScriptModel tapped =
                        form == ModelForm.TORCHSCRIPT ? TorchScriptModel.load(taps) : null) {
                    LLMGradientAttribution<LayerIntegratedGradients.Options> llm =
                            new LLMGradientAttribution<>(
                                    LayerIntegratedGradients::new,
                                    tapped != null ? tapped : LayerAccess.of(model),
                                    LayerPath.of(init.get("layer").getAsString()),
                                    tokenizer);
                    LayerIntegratedGradients.Options o =
                            LayerIntegratedGradients.Options.builder()
                                    .nSteps(
                                            args.has("n_steps")
                                                    ? args.get("n_steps").getAsInt()
                                                    : 50)
                                    .build();
                    if (!(input instanceof TextTokenInput tokens)) {
                        throw new IllegalArgumentException(
                                "input.type must be TextTokenInput for LLMGradientAttribution");
                    }
                    r = llm.attribute(tokens, target, o);
                }
                compareExact(v, r, expected, t);
                return v;
            }
            LLMAttribution.AttrTarget attrTarget =
                    "prob".equals(init.get("attr_target").getAsString())
                            ? LLMAttribution.AttrTarget.PROB
                            : LLMAttribution.AttrTarget.LOG_PROB;
            int nSamples = args.has("n_samples") ? args.get("n_samples").getAsInt() : 25;
            Run run =
                    seed ->
                            run(
                                    method[1],
                                    model,
                                    tokenizer,
                                    attrTarget,
                                    input,
                                    target,
                                    nSamples,
                                    seed);
            if (c.kind() == GoldenCase.Kind.STATISTICAL) {
                statistical(v, method[1], run, expected, t);
            } else {
                compareExact(v, run.at(0), expected, t);
            }
            return v;
        }
    }

    /** One seeded attribution of the case. */
    @FunctionalInterface
    private interface Run {
        LLMAttributionResult at(int seed);
    }

    private static LLMAttributionResult run(
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
                        .attribute(
                                input,
                                target,
                                ShapleyValueSampling.Options.builder()
                                        .nSamples(nSamples)
                                        .seed(seed)
                                        .build());
            case "KernelShap":
            case "Lime":
                {
                    // both take Lime's options; KernelShap is Lime with the Shapley kernel
                    Function<ForwardFunction, AttributionMethod<Lime.Options>> surrogate =
                            method.equals("Lime") ? Lime::new : KernelShap::new;
                    return llm(surrogate, model, tokenizer, attrTarget)
                            .attribute(
                                    input,
                                    target,
                                    Lime.Options.builder().nSamples(nSamples).seed(seed).build());
                }
            default:
                throw new IllegalArgumentException(
                        "method must be LLMAttribution/{FeatureAblation, ShapleyValues,"
                                + " ShapleyValueSampling, KernelShap, Lime}, got "
                                + method);
        }
    }

    private static <O extends Record> LLMAttribution<O> llm(
            Function<ForwardFunction, ? extends AttributionMethod<O>> m,
            ForwardFunction model,
            Tokenizer tokenizer,
            LLMAttribution.AttrTarget attrTarget) {
        return new LLMAttribution<>(m, model, tokenizer, attrTarget, BATCH);
    }

    private static InterpretableInput<?> input(JsonObject in, Tokenizer tokenizer) {
        String type = in.get("type").getAsString();
        if (type.equals("TextTemplateInput")) {
            List<String> values = strings(in.get("values"));
            List<String> baselines =
                    isNull(in.get("baselines")) ? null : strings(in.get("baselines"));
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
        if (!type.equals("TextTokenInput")) {
            throw new IllegalArgumentException(
                    "input.type must be TextTemplateInput or TextTokenInput, got " + type);
        }
        JsonElement b = in.get("baselines");
        long baseline =
                b.getAsJsonPrimitive().isNumber()
                        ? b.getAsLong()
                        : tokenizer.tokenToId(b.getAsString());
        return TextTokenInput.of(
                in.get("text").getAsString(),
                tokenizer,
                baseline,
                ids(in.get("skip_tokens"), tokenizer));
    }

    private static LLMTarget target(JsonObject args) {
        if (isNull(args.get("target"))) {
            return LLMTarget.generate(
                    args.getAsJsonObject("gen_args").get("max_new_tokens").getAsInt());
        }
        String text = args.get("target").getAsString();
        JsonElement skip = args.get("skip_tokens");
        if (isNull(skip) || skip.getAsJsonArray().isEmpty()) {
            return LLMTarget.text(text);
        }
        JsonArray a = skip.getAsJsonArray();
        if (a.get(0).getAsJsonPrimitive().isNumber()) {
            return LLMTarget.textSkippingIds(text, longs(a));
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
            ids[i] =
                    e.getAsJsonPrimitive().isNumber()
                            ? e.getAsLong()
                            : tokenizer.tokenToId(e.getAsString());
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
        return doubles(CaseTensors.floatData(e, where));
    }

    private static double[] flat(float[][] rows) {
        List<double[]> parts = new ArrayList<>(rows.length);
        for (float[] r : rows) {
            parts.add(doubles(r));
        }
        return Checks.concat(parts);
    }

    private static void same(Verdict v, String property, Object ours, Object expected) {
        boolean ok =
                ours instanceof long[] a && expected instanceof long[] b
                        ? Arrays.equals(a, b)
                        : ours.equals(expected);
        v.check(property, ok, "got " + show(ours) + ", expected " + show(expected));
    }

    private static String show(Object o) {
        return o instanceof long[] a ? Arrays.toString(a) : String.valueOf(o);
    }

    private static void compareCommon(
            Verdict v, LLMAttributionResult r, JsonObject e, Tolerance t) {
        same(v, "input_tokens", r.inputTokens(), strings(e.get("input_tokens")));
        same(v, "output_tokens", r.outputTokens(), strings(e.get("output_tokens")));
        same(v, "target_token_ids", r.targetIds(), longs(e.get("target_token_ids")));
        same(v, "model_input_ids", r.promptIds(), longs(e.get("model_input_ids")));
        v.compare(
                "unperturbed_log_probs",
                t.check(
                        doubles(r.logProbs()),
                        tensor(e.get("unperturbed_log_probs"), "unperturbed_log_probs")));
    }

    private static void compareExact(Verdict v, LLMAttributionResult r, JsonObject e, Tolerance t) {
        compareCommon(v, r, e, t);
        v.compare("seq_attr", t.check(doubles(r.seqAttr()), tensor(e.get("seq_attr"), "seq_attr")));
        if (isNull(e.get("token_attr"))) {
            v.check(
                    "token_attr absent",
                    r.tokenAttr().isEmpty(),
                    "token_attr present, expected null");
        } else if (r.tokenAttr().isEmpty()) {
            v.fail("token_attr", "absent, expected " + e.get("token_attr"));
        } else {
            v.compare(
                    "token_attr",
                    t.check(flat(r.tokenAttr().get()), tensor(e.get("token_attr"), "token_attr")));
        }
    }

    /**
     * Seed statistics: the mean of {@link #SEEDS} runs lies within {@link Checks#DRAW_Z} standard
     * errors of the reference mean; ShapleyValueSampling's mean also within as many standard errors
     * of the exact Shapley values, and every run sums to their sum (efficiency).
     */
    private static void statistical(Verdict v, String method, Run run, JsonObject e, Tolerance t) {
        JsonObject stats = e.getAsJsonObject("seed_stats");
        int nRef = stats.get("n_seeds").getAsInt();
        JsonObject seqStats = stats.getAsJsonObject("seq_attr");
        double[] refMean = tensor(seqStats.get("mean"), "seed_stats.seq_attr.mean");
        double[] refStd = tensor(seqStats.get("std"), "seed_stats.seq_attr.std");
        boolean svs = method.equals("ShapleyValueSampling");
        double[] exact =
                e.has("exact_shapley_values")
                        ? tensor(
                                e.getAsJsonObject("exact_shapley_values").get("seq_attr"),
                                "exact_shapley_values.seq_attr")
                        : null;
        int n = refMean.length;
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        StringBuilder inefficient = new StringBuilder();
        for (int s = 0; s < SEEDS; s++) {
            LLMAttributionResult r = run.at(s);
            if (s == 0) {
                compareCommon(v, r, e, t);
            }
            float[] seq = r.seqAttr();
            if (seq.length != n) {
                v.fail("seq_attr length", seq.length + " instead of " + n);
                return;
            }
            for (int i = 0; i < n; i++) {
                sum[i] += seq[i];
                sumSq[i] += (double) seq[i] * seq[i];
            }
            if (svs && exact != null) {
                double total = Checks.sum(doubles(seq));
                double gap = Checks.sum(exact);
                if (Math.abs(total - gap) > 1e-3 + 1e-4 * Math.abs(gap)) {
                    inefficient.append(
                            String.format(Locale.ROOT, "seed %d: %.6g vs %.6g; ", s, total, gap));
                }
            }
        }
        StringBuilder farFromSeeds = new StringBuilder();
        StringBuilder farFromExact = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double mean = sum[i] / SEEDS;
            double sd = Math.sqrt(Math.max(0, sumSq[i] / SEEDS - mean * mean));
            double se = Math.sqrt(refStd[i] * refStd[i] / nRef + sd * sd / SEEDS);
            if (Math.abs(mean - refMean[i]) > Checks.DRAW_Z * se + t.atol()) {
                farFromSeeds.append(
                        String.format(
                                Locale.ROOT,
                                "[%d] %.4g vs %.4g (se %.3g) ",
                                i,
                                mean,
                                refMean[i],
                                se));
            }
            if (svs
                    && exact != null
                    && Math.abs(mean - exact[i]) > Checks.DRAW_Z * sd / Math.sqrt(SEEDS) + 1e-4) {
                farFromExact.append(
                        String.format(Locale.ROOT, "[%d] %.4g vs %.4g ", i, mean, exact[i]));
            }
        }
        v.check(
                String.format(
                        Locale.ROOT,
                        "mean of %d seeded runs within %.0f SE of seed_stats mean",
                        SEEDS,
                        Checks.DRAW_Z),
                farFromSeeds.length() == 0,
                farFromSeeds.toString());
        if (svs && exact != null) {
            v.check(
                    "SVS mean within " + Checks.DRAW_Z + " SE of exact Shapley values",
                    farFromExact.length() == 0,
                    farFromExact.toString());
            v.check(
                    "every run sums to the exact Shapley values' sum (efficiency)",
                    inefficient.length() == 0,
                    inefficient.toString());
        }
    }
}
