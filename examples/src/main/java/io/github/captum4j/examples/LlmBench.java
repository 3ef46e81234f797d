package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.llm.HfTokenizer;
import io.github.captum4j.llm.LLMAttribution;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;
import io.github.captum4j.llm.TextTokenInput;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code llm bench}: LLM attribution time against the raw model work it needs, on tiny_gpt and the
 * 6-block tiny_gpt6 (both TorchScript with a tap on {@code wte}, from {@code src-test-resources/taps}).
 * Each repetition times the attribution and then its raw counterpart; reported are the median
 * times and the median of the paired ratios.
 *
 * <ul>
 *   <li>FeatureAblation over N prompt tokens ({@code perturbationsPerEval = N + 1}: the N ablations
 *       and the unperturbed prompt share one pass) against one
 *       forward (no gradients) of the same N+1 rows (prompt + target prefix).
 *   <li>LLMGradientAttribution (LayerIntegratedGradients, nSteps 50) over K target tokens against
 *       one forward + backward (to the {@code wte} tap) of the same K x 50 rows; and Captum's
 *       loop (one call per target token, {@code attributeTokenByToken}) against the batched call.
 * </ul>
 */
final class LlmBench {

    private LlmBench() {}

    static int run(String[] args, PrintStream out) {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "src-test-resources");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        out.println("| model | measurement | attribution ms | raw ms | ratio (median of pairs) |");
        out.println("|---|---|---|---|---|");
        try (HfTokenizer tokenizer = HfTokenizer.load(fixtures.resolve("models/tiny_gpt_tokenizer.json"))) {
            bench("tiny_gpt", fixtures.resolve("taps/tiny_gpt.pt"), tokenizer, 24, 4, repeats, out);
            bench("tiny_gpt6", fixtures.resolve("taps/tiny_gpt6.pt"), tokenizer, 48, 8, repeats, out);
        }
        return 0;
    }

    private static void bench(
            String name, Path file, HfTokenizer tokenizer, int n, int k, int repeats, PrintStream out) {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i == 0 ? "" : " ").append(tokenizer.idsToTokens(new long[] {4 + random.nextInt(36)}).get(0));
        }
        long[] target = new long[k];
        for (int i = 0; i < k; i++) {
            target[i] = 4 + random.nextInt(36);
        }
        try (TorchScriptModel model = TorchScriptModel.load(file); NDManager manager = NDManager.newBaseManager()) {
            TextTokenInput input = TextTokenInput.of(text.toString(), tokenizer, "<unk>", List.of("<bos>"));
            long[] prompt = input.toModelInput();
            LLMAttribution<FeatureAblation.Options> fa = new LLMAttribution<>(FeatureAblation::new, model, tokenizer,
                    LLMAttribution.AttrTarget.LOG_PROB, n + 1);
            // n + 1 perturbations per pass: the n ablations and the unperturbed prompt in one pass.
            FeatureAblation.Options faOptions = FeatureAblation.Options.builder().perturbationsPerEval(n + 1).build();
            NDArray rows = rows(manager, prompt, target, n + 1, k - 1);
            row(out, name, "FeatureAblation, N = " + n + " features vs 1 forward of N+1 rows", repeats,
                    () -> fa.attribute(input, LLMTarget.ids(target), faOptions),
                    () -> Gradients.forward(model, new NDList(rows), List.of()).logSoftmax(2).sum().getFloat());

            LLMGradientAttribution<LayerIntegratedGradients.Options> ig = new LLMGradientAttribution<>(
                    LayerIntegratedGradients::new, model, LayerPath.of("wte"), tokenizer);
            LayerIntegratedGradients.Options igOptions = LayerIntegratedGradients.Options.builder().nSteps(50).build();
            NDArray paths = rows(manager, prompt, target, k * 50, k - 1);
            List<int[]> tuples = new ArrayList<>();
            for (int r = 0; r < k * 50; r++) {
                int j = r % k;
                tuples.add(new int[] {prompt.length - 1 + j, (int) target[j]});
            }
            Target perRow = Target.perExample(tuples);
            double[] batched = row(out, name, "LayerIG, K = " + k + ", nSteps 50 vs 1 forward+backward of K*50 rows", repeats,
                    () -> ig.attribute(input, LLMTarget.ids(target), igOptions),
                    () -> {
                        try (LayerTap tap = model.tap(List.of(LayerPath.of("wte")), TapSite.OUTPUT);
                                NDManager scratch = manager.newSubManager()) {
                            NDArray x = paths.duplicate();
                            x.attach(scratch);
                            return Gradients.computeAtLayers(
                                    tap.adapted(x0 -> x0, logits -> logits.logSoftmax(2)), new NDList(x), List.of(), perRow, null)
                                    .layerGradients().get(0).getShape();
                        }
                    });
            row(out, name, "LayerIG, Captum's loop (K calls) vs batched", repeats,
                    () -> ig.attributeTokenByToken(input, LLMTarget.ids(target), igOptions),
                    () -> ig.attribute(input, LLMTarget.ids(target), igOptions));
            out.flush();
            if (batched == null) {
                throw new IllegalStateException("no measurement");
            }
        }
    }

    /** {@code count} rows of prompt + the first {@code prefix} target tokens. */
    private static NDArray rows(NDManager manager, long[] prompt, long[] target, int count, int prefix) {
        int width = prompt.length + prefix;
        long[] ids = new long[count * width];
        for (int r = 0; r < count; r++) {
            System.arraycopy(prompt, 0, ids, r * width, prompt.length);
            System.arraycopy(target, 0, ids, r * width + prompt.length, prefix);
        }
        return manager.create(ids, new Shape(count, width));
    }

    private static double[] row(PrintStream out, String model, String what, int repeats,
            Supplier<?> attribution, Supplier<?> raw) {
        attribution.get();
        raw.get();
        double[] a = new double[repeats];
        double[] b = new double[repeats];
        double[] ratio = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            attribution.get();
            long t1 = System.nanoTime();
            raw.get();
            long t2 = System.nanoTime();
            a[i] = (t1 - t0) / 1e6;
            b[i] = (t2 - t1) / 1e6;
            ratio[i] = a[i] / b[i];
        }
        out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f |%n", model, what, median(a), median(b), median(ratio));
        return new double[] {median(a), median(b), median(ratio)};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
