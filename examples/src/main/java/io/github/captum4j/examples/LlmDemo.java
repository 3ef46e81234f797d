package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.llm.LLMAttribution;
import io.github.captum4j.llm.LLMAttributionResult;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;
import io.github.captum4j.llm.TextTokenInput;
import io.github.captum4j.llm.Tokenizer;
import io.github.captum4j.metrics.Similarity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code llm demo}: trains a tiny causal transformer ({@link LlmDemoModel}) with DJL on a synthetic
 * language where the answer is decided by ONE earlier token ({@link LlmDemoTask}: {@code <bos> k3
 * d9 q k5 d0 k1 d12 ->} answers {@code v2} because the key after the marker {@code q} is {@code
 * k5}; the other keys and the distractors are random), imports it as a Block model, and explains
 * 32 held-out prompts with every LLM method through the public API. Printed per method: time per
 * prompt, the token pointing game (is the top-attributed prompt token the deciding key?), the share
 * of absolute attribution on that key, and the model-randomisation sanity check (Spearman
 * correlation of the attributions with those of the same architecture with re-drawn weights; near
 * 0 = the explanation depends on what the model learned), against a random-attribution baseline
 * row. Heat maps of one prompt go to the output folder.
 */
final class LlmDemo {

    private static final int FEATURES = LlmDemoTask.FEATURES;
    private static final int PROMPTS = 32;
    private static final List<String> SKIP = List.of("<bos>", "q", "->");

    private LlmDemo() {}

    interface Method {
        LLMAttributionResult explain(ImportedModel model, TextTokenInput input, LLMTarget target, int seed);
    }

    static int run(Path outDir, PrintStream out) throws IOException {
        Files.createDirectories(outDir);
        Tokenizer tokenizer = LlmDemoTask.TOKENIZER;
        long t0 = System.nanoTime();
        LlmDemoModel.Trained trained = LlmDemoModel.trainAndExport(7, 4000, outDir.resolve("model"));
        out.printf(Locale.ROOT, "trained %s (%d blocks, d %d, %d heads) with DJL: Adam, batches of 64, %d steps,"
                        + " %.1f s, final loss %.4f%n", LlmDemoModel.ID, LlmDemoModel.LAYERS, LlmDemoModel.DIM,
                LlmDemoModel.HEADS, trained.steps(), (System.nanoTime() - t0) / 1e9, trained.loss());
        LlmDemoModel.withOneThread(() -> {
            explainAll(trained.json(), tokenizer, outDir, out);
            return null;
        });
        out.println();
        out.println("heat maps written to " + outDir);
        return 0;
    }

    private static void explainAll(Path json, Tokenizer tokenizer, Path outDir, PrintStream out)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel lm = ImportedModel.load(json, manager);
                ImportedModel random = ImportedModel.load(json, manager, 99)) {
            out.printf(Locale.ROOT, "held-out accuracy (imported model, 1,000 prompts): %.3f%n",
                    accuracy(lm, LlmDemoTask.prompts(999, 1000)));
            List<LlmDemoTask.Prompt> prompts = LlmDemoTask.prompts(12345, PROMPTS);
            // Where the LM gives the answer even with every prompt token ablated, no attribution can
            // be large: the heat maps show the first prompt where it does not.
            List<LlmDemoTask.Prompt> ablated = new ArrayList<>();
            for (LlmDemoTask.Prompt p : prompts) {
                ablated.add(new LlmDemoTask.Prompt(p.text().replaceAll("[kd][0-9]+", "<pad>"), p.keyFeature(), p.answer()));
            }
            boolean[] kept = correct(lm, ablated);
            int shown = 0;
            int same = 0;
            for (int i = PROMPTS - 1; i >= 0; i--) {
                shown = kept[i] ? shown : i;
                same += kept[i] ? 1 : 0;
            }
            out.printf(Locale.ROOT, "explained prompts whose answer the LM also gives with every prompt token"
                    + " ablated to <pad>: %d/%d; heat maps of prompt %d%n", same, PROMPTS, shown);
            out.println();
            out.println("| method | ms / prompt | pointing game | mass on key | sanity: rank corr. with randomised LM |");
            out.println("|---|---|---|---|---|");
            for (Map.Entry<String, Method> e : methods(tokenizer).entrySet()) {
                evaluate(e.getKey(), e.getValue(), lm, random, tokenizer, prompts, shown, outDir, out);
            }
            randomRow(prompts, out);
        }
    }

    /** Share of prompts whose argmax next token after {@code ->} is the answer. */
    static double accuracy(ImportedModel lm, List<LlmDemoTask.Prompt> prompts) {
        int right = 0;
        for (boolean c : correct(lm, prompts)) {
            right += c ? 1 : 0;
        }
        return right / (double) prompts.size();
    }

    /** Per prompt: is the argmax next token after {@code ->} the answer? */
    private static boolean[] correct(ImportedModel lm, List<LlmDemoTask.Prompt> prompts) {
        boolean[] right = new boolean[prompts.size()];
        int length = LlmDemoTask.LENGTH;
        try (NDManager m = NDManager.newBaseManager()) {
            long[] ids = new long[prompts.size() * length];
            for (int i = 0; i < prompts.size(); i++) {
                System.arraycopy(LlmDemoTask.TOKENIZER.encode(prompts.get(i).text(), true), 0, ids, i * length, length);
            }
            NDArray logits = lm.forwardFunction()
                    .forward(new NDList(m.create(ids, new Shape(prompts.size(), length))), List.of());
            long[] best = logits.get(new NDIndex(":, -1, :")).argMax(1).toLongArray();
            for (int i = 0; i < prompts.size(); i++) {
                right[i] = best[i] == prompts.get(i).answer();
            }
        }
        return right;
    }

    private static Map<String, Method> methods(Tokenizer tokenizer) {
        LayerPath wte = LayerPath.of("wte");
        Map<String, Method> m = new LinkedHashMap<>();
        m.put("FeatureAblation", (lm, in, t, s) -> new LLMAttribution<>(FeatureAblation::new, lm.forwardFunction(), tokenizer)
                .attribute(in, t, FeatureAblation.Options.builder().perturbationsPerEval(FEATURES + 1).build()));
        m.put("ShapleyValues", (lm, in, t, s) -> new LLMAttribution<>(ShapleyValues::new, lm.forwardFunction(), tokenizer)
                .attribute(in, t, ShapleyValues.Options.DEFAULTS.withPerturbationsPerEval(64)));
        m.put("ShapleyValueSampling", (lm, in, t, s) -> new LLMAttribution<>(ShapleyValueSampling::new, lm.forwardFunction(), tokenizer)
                .attribute(in, t, ShapleyValueSampling.Options.builder().nSamples(10).perturbationsPerEval(60).seed(s).build()));
        m.put("KernelShap", (lm, in, t, s) -> new LLMAttribution<>(KernelShap::new, lm.forwardFunction(), tokenizer)
                .attribute(in, t, Lime.Options.builder().nSamples(64).perturbationsPerEval(64).seed(s).build()));
        m.put("Lime", (lm, in, t, s) -> new LLMAttribution<>(Lime::new, lm.forwardFunction(), tokenizer)
                .attribute(in, t, Lime.Options.builder().nSamples(64).perturbationsPerEval(64).seed(s).build()));
        m.put("LayerIntegratedGradients", (lm, in, t, s) -> new LLMGradientAttribution<>(
                        LayerIntegratedGradients::new, lm, wte, tokenizer)
                .attribute(in, t, LayerIntegratedGradients.Options.builder().nSteps(50).build()));
        m.put("LayerGradientXActivation", (lm, in, t, s) -> new LLMGradientAttribution<>(
                        LayerGradientXActivation::new, lm, wte, tokenizer)
                .attribute(in, t, LayerGradientXActivation.Options.DEFAULTS));
        return m;
    }

    /** The prompt's interpretable input: its tokens without {@code <bos>}, {@code q}, {@code ->}; absent = {@code <pad>}. */
    static TextTokenInput input(LlmDemoTask.Prompt p) {
        return TextTokenInput.of(p.text(), LlmDemoTask.TOKENIZER, "<pad>", SKIP);
    }

    private static void evaluate(String name, Method method, ImportedModel lm, ImportedModel random,
            Tokenizer tokenizer, List<LlmDemoTask.Prompt> prompts, int shown, Path outDir, PrintStream out)
            throws IOException {
        double millis = 0;
        int hits = 0;
        double mass = 0;
        double sanity = 0;
        for (int i = 0; i < prompts.size(); i++) {
            LlmDemoTask.Prompt p = prompts.get(i);
            TextTokenInput in = input(p);
            LLMTarget target = LLMTarget.ids(p.answer());
            long t0 = System.nanoTime();
            LLMAttributionResult r = method.explain(lm, in, target, i);
            millis += (System.nanoTime() - t0) / 1e6;
            float[] a = r.seqAttr();
            hits += argmax(a) == p.keyFeature() ? 1 : 0;
            mass += share(a, p.keyFeature());
            sanity += spearman(a, method.explain(random, in, target, i).seqAttr());
            if (i == shown) {
                String file = name.toLowerCase(Locale.ROOT);
                if (r.tokenAttr().isPresent()) {
                    r.plotTokenAttr(outDir.resolve(file + "_token_attr.png"));
                }
                r.plotSeqAttr(outDir.resolve(file + "_seq_attr.png"));
                Files.writeString(outDir.resolve(file + ".html"), r.toHtml());
            }
        }
        int n = prompts.size();
        out.printf(Locale.ROOT, "| %s | %.1f | %d/%d | %.2f | %.2f |%n", name, millis / n, hits, n, mass / n, sanity / n);
        out.flush();
    }

    private static void randomRow(List<LlmDemoTask.Prompt> prompts, PrintStream out) {
        SplittableRandom r = new SplittableRandom(5);
        int hits = 0;
        double mass = 0;
        double sanity = 0;
        for (LlmDemoTask.Prompt p : prompts) {
            float[] a = new float[FEATURES];
            float[] b = new float[FEATURES];
            for (int i = 0; i < FEATURES; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
            }
            hits += argmax(a) == p.keyFeature() ? 1 : 0;
            mass += share(a, p.keyFeature());
            sanity += spearman(a, b);
        }
        int n = prompts.size();
        out.printf(Locale.ROOT, "| random attribution | - | %d/%d | %.2f | %.2f |%n", hits, n, mass / n, sanity / n);
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            best = a[i] > a[best] ? i : best;
        }
        return best;
    }

    private static double share(float[] a, int i) {
        double total = 0;
        for (float v : a) {
            total += Math.abs(v);
        }
        return total == 0 ? 0 : Math.abs(a[i]) / total;
    }

    /** Spearman rank correlation of two attribution vectors ({@link Similarity#spearman}). */
    static double spearman(float[] a, float[] b) {
        try (NDManager m = NDManager.newBaseManager()) {
            return Similarity.spearman(m.create(new float[][] {a}), m.create(new float[][] {b}))[0];
        }
    }
}
