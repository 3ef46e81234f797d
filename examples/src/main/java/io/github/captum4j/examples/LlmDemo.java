package io.github.captum4j.examples;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.llm.LLMAttribution;
import io.github.captum4j.llm.LLMAttributionResult;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;
import io.github.captum4j.llm.TextTokenInput;
import io.github.captum4j.llm.Tokenizer;

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
 * {@code llm demo}: trains a tiny causal LM ({@link LlmDemoModel}) with DJL on a synthetic language
 * where the answer is decided by ONE earlier token: {@code <bos> d3 d9 k5 d0 d12 ->} answers {@code
 * v2} because key {@code k5} maps to value {@code v2}; the four distractors {@code d*} and the key's
 * position are random. It then explains 32 held-out prompts with every LLM method and prints time
 * per prompt, the token pointing game (is the top-attributed prompt token the key?), the share of
 * absolute attribution on the key, and the model-randomisation sanity check (Spearman correlation
 * of the attributions with those of the same LM with re-drawn weights; near 0 = the explanation
 * depends on what the model learned), against a random-attribution baseline row. Heat maps of the
 * first prompt go to the output folder.
 */
final class LlmDemo {

    private static final int KEYS = 8;
    private static final int DISTRACTORS = 16;
    private static final int FEATURES = 5;
    private static final int PROMPTS = 32;

    private LlmDemo() {}

    /** The demo's word-level tokenizer (any {@link Tokenizer} plugs in). */
    static final class WordTokenizer implements Tokenizer {
        final List<String> vocab = new ArrayList<>();
        final Map<String, Long> ids = new LinkedHashMap<>();

        WordTokenizer() {
            add("<pad>");
            add("<bos>");
            add("->");
            for (int i = 0; i < KEYS; i++) {
                add("k" + i);
            }
            for (int i = 0; i < KEYS; i++) {
                add("v" + i);
            }
            for (int i = 0; i < DISTRACTORS; i++) {
                add("d" + i);
            }
        }

        private void add(String t) {
            ids.put(t, (long) vocab.size());
            vocab.add(t);
        }

        @Override
        public long[] encode(String text, boolean addSpecialTokens) {
            List<Long> out = new ArrayList<>();
            if (addSpecialTokens) {
                out.add(1L);
            }
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(ids.getOrDefault(w, 0L));
                }
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        @Override
        public String decode(long[] tokens) {
            return String.join(" ", idsToTokens(tokens));
        }

        @Override
        public List<String> idsToTokens(long[] tokens) {
            List<String> out = new ArrayList<>();
            for (long id : tokens) {
                out.add(vocab.get((int) id));
            }
            return out;
        }

        @Override
        public long tokenToId(String token) {
            Long id = ids.get(token);
            if (id == null) {
                throw new IllegalArgumentException("token must be in the vocabulary, got " + token);
            }
            return id;
        }
    }

    /** One prompt: its text, the key's feature index and the answer id. */
    record Prompt(String text, int keyFeature, long answer) {}

    static Prompt prompt(SplittableRandom random, int[] mapping) {
        int key = random.nextInt(KEYS);
        int at = random.nextInt(FEATURES);
        StringBuilder s = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            s.append(f == at ? "k" + key : "d" + random.nextInt(DISTRACTORS)).append(' ');
        }
        s.append("->");
        return new Prompt(s.toString(), at, 3 + KEYS + mapping[key]);
    }

    interface Method {
        LLMAttributionResult explain(LlmDemoModel model, TextTokenInput input, LLMTarget target, int seed);
    }

    static int run(Path outDir, PrintStream out) throws IOException {
        Files.createDirectories(outDir);
        WordTokenizer tokenizer = new WordTokenizer();
        int[] mapping = {2, 7, 0, 5, 1, 6, 3, 4};
        int vocab = tokenizer.vocab.size();
        try (LlmDemoModel lm = new LlmDemoModel(vocab, 32, 128, 1);
                LlmDemoModel random = new LlmDemoModel(vocab, 32, 128, 99)) {
            SplittableRandom train = new SplittableRandom(11);
            long t0 = System.nanoTime();
            float loss = lm.train(m -> batch(m, tokenizer, train, mapping, 64), 3000, 0.005f);
            out.printf(Locale.ROOT, "trained the LM: Adam on batches of 64 prompts until loss < 0.05, %.1f s, final loss %.4f%n",
                    (System.nanoTime() - t0) / 1e9, loss);
            SplittableRandom held = new SplittableRandom(12345);
            List<Prompt> prompts = new ArrayList<>();
            for (int i = 0; i < PROMPTS; i++) {
                prompts.add(prompt(held, mapping));
            }
            out.printf(Locale.ROOT, "held-out accuracy: %.3f%n", accuracy(lm, tokenizer, prompts));
            Map<String, Method> methods = methods(tokenizer);
            out.println();
            out.println("| method | ms / prompt | pointing game | mass on key | sanity: rank corr. with randomised LM |");
            out.println("|---|---|---|---|---|");
            for (Map.Entry<String, Method> e : methods.entrySet()) {
                evaluate(e.getKey(), e.getValue(), lm, random, tokenizer, prompts, outDir, out);
            }
            randomRow(prompts, out);
        }
        out.println();
        out.println("heat maps of prompt 0 written to " + outDir);
        return 0;
    }

    private static NDList batch(ai.djl.ndarray.NDManager m, WordTokenizer tokenizer, SplittableRandom random,
            int[] mapping, int size) {
        int width = FEATURES + 2;
        long[] ids = new long[size * width];
        long[] answers = new long[size];
        for (int b = 0; b < size; b++) {
            Prompt p = prompt(random, mapping);
            System.arraycopy(tokenizer.encode(p.text(), true), 0, ids, b * width, width);
            answers[b] = p.answer();
        }
        return new NDList(m.create(ids, new Shape(size, width)), m.create(answers));
    }

    private static double accuracy(LlmDemoModel lm, WordTokenizer tokenizer, List<Prompt> prompts) {
        int right = 0;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (Prompt p : prompts) {
                long[] ids = tokenizer.encode(p.text(), true);
                float[] last = lm.forward(new NDList(m.create(ids, new Shape(1, ids.length))), List.of())
                        .get(0, ids.length - 1).toFloatArray();
                int best = 0;
                for (int v = 1; v < last.length; v++) {
                    best = last[v] > last[best] ? v : best;
                }
                right += best == p.answer() ? 1 : 0;
            }
        }
        return right / (double) prompts.size();
    }

    private static Map<String, Method> methods(Tokenizer tokenizer) {
        Map<String, Method> m = new LinkedHashMap<>();
        m.put("FeatureAblation", (lm, in, t, s) -> new LLMAttribution<>(FeatureAblation::new, lm, tokenizer)
                .attribute(in, t, FeatureAblation.Options.builder().perturbationsPerEval(FEATURES).build()));
        m.put("ShapleyValues", (lm, in, t, s) -> new LLMAttribution<>(ShapleyValues::new, lm, tokenizer)
                .attribute(in, t, ShapleyValues.Options.DEFAULTS.withPerturbationsPerEval(64)));
        m.put("ShapleyValueSampling", (lm, in, t, s) -> new LLMAttribution<>(ShapleyValueSampling::new, lm, tokenizer)
                .attribute(in, t, ShapleyValueSampling.Options.builder().nSamples(10).perturbationsPerEval(50).seed(s).build()));
        m.put("KernelShap", (lm, in, t, s) -> new LLMAttribution<>(KernelShap::new, lm, tokenizer)
                .attribute(in, t, Lime.Options.builder().nSamples(64).perturbationsPerEval(64).seed(s).build()));
        m.put("Lime", (lm, in, t, s) -> new LLMAttribution<>(Lime::new, lm, tokenizer)
                .attribute(in, t, Lime.Options.builder().nSamples(64).perturbationsPerEval(64).seed(s).build()));
        m.put("LayerIntegratedGradients", (lm, in, t, s) -> new LLMGradientAttribution<>(
                        LayerIntegratedGradients::new, lm, LlmDemoModel.WTE, tokenizer)
                .attribute(in, t, LayerIntegratedGradients.Options.builder().nSteps(50).build()));
        m.put("LayerGradientXActivation", (lm, in, t, s) -> new LLMGradientAttribution<>(
                        LayerGradientXActivation::new, lm, LlmDemoModel.WTE, tokenizer)
                .attribute(in, t, LayerGradientXActivation.Options.DEFAULTS));
        return m;
    }

    private static void evaluate(String name, Method method, LlmDemoModel lm, LlmDemoModel random,
            Tokenizer tokenizer, List<Prompt> prompts, Path outDir, PrintStream out) throws IOException {
        double millis = 0;
        int hits = 0;
        double mass = 0;
        double sanity = 0;
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            TextTokenInput in = TextTokenInput.of(p.text(), tokenizer, "<pad>", List.of("<bos>", "->"));
            LLMTarget target = LLMTarget.ids(p.answer());
            long t0 = System.nanoTime();
            LLMAttributionResult r = method.explain(lm, in, target, i);
            millis += (System.nanoTime() - t0) / 1e6;
            float[] a = r.seqAttr();
            hits += argmax(a) == p.keyFeature() ? 1 : 0;
            mass += share(a, p.keyFeature());
            sanity += spearman(a, method.explain(random, in, target, i).seqAttr());
            if (i == 0) {
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

    private static void randomRow(List<Prompt> prompts, PrintStream out) {
        SplittableRandom r = new SplittableRandom(5);
        int hits = 0;
        double mass = 0;
        double sanity = 0;
        for (Prompt p : prompts) {
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

    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < ra.length; i++) {
            ma += ra[i] / ra.length;
            mb += rb[i] / rb.length;
        }
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < ra.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return da == 0 || db == 0 ? 0 : num / Math.sqrt(da * db);
    }

    private static double[] ranks(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            int less = 0;
            int equal = 0;
            for (float v : a) {
                less += v < a[i] ? 1 : 0;
                equal += v == a[i] ? 1 : 0;
            }
            r[i] = less + (equal - 1) / 2.0;
        }
        return r;
    }
}
