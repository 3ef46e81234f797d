package io.github.captum4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.training.GradientCollector;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.llm.HfTokenizer;
import io.github.captum4j.llm.LLMAttribution;
import io.github.captum4j.llm.LLMGradientAttribution;
import io.github.captum4j.llm.LLMTarget;
import io.github.captum4j.llm.TextTokenInput;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * {@code llm bench}: LLM attribution time against the raw model work it needs, on tiny_gpt and the
 * 6-block tiny_gpt6 (both TorchScript with a tap on {@code wte}, from {@code src-test-resources/taps}).
 * Like {@link Bench}: both sides are warmed up first (at least 5 runs and 1 s, then until the
 * process's memory stopped growing, at most 30 s: {@link WarmUp}), then timed alternately (at least
 * REPEATS pairs and 3 s); reported are the median times and the median of the paired ratios with
 * its quartiles, and the warm-up's runs and time.
 *
 * <ul>
 *   <li>FeatureAblation over N prompt tokens ({@code perturbationsPerEval = N + 1}: the N ablations
 *       and the unperturbed prompt share one pass) against the least the method must do: one
 *       no-gradient forward of the same N+1 rows (prompt + target prefix), the log-softmax of the
 *       K scored positions and their K target entries, read into Java.
 *   <li>LLMGradientAttribution (LayerIntegratedGradients, nSteps 50) over K target tokens against
 *       plain forward + backward passes of the same K x 50 rows in the same passes (rows per pass
 *       as the attribution uses them): {@code forward_taps_scaled} (scale 1) with a zero delta leaf
 *       on {@code wte},
 *       log-softmax of each row's target position, backward of the K x 50 picked log-probabilities
 *       to the leaf; and Captum's loop (one call per target token, {@code attributeTokenByToken})
 *       against the batched call (ratio = the speed-up). A row with every K x 50 rows in one pass
 *       (the attribution's {@code internalBatchSize} set to K x 50) shows what the pass budget
 *       {@link LLMGradientAttribution#TOKENS_PER_PASS} gains.
 * </ul>
 */
final class LlmBench {

    private static final double WARMUP_SECONDS = 1;
    private static final int WARMUP_RUNS = 5;
    private static final double MAX_WARMUP_SECONDS = 30;
    private static final int MAX_PAIRS = 200;

    private final int repeats;
    private final double seconds;
    private final Pattern filter;
    private final PrintStream out;

    private LlmBench(int repeats, double seconds, Pattern filter, PrintStream out) {
        this.repeats = repeats;
        this.seconds = seconds;
        this.filter = filter;
        this.out = out;
    }

    static int run(String[] args, PrintStream out) {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "src-test-resources");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        return run(fixtures, repeats, 3, Pattern.compile(".*"), out);
    }

    /**
     * The LLM rows, also run by {@code bench} (rows named {@code llm ...}, selected by its filter).
     *
     * @param fixtures the fixture folder (holding {@code taps/} and {@code models/})
     * @param repeats at least this many timed pairs per row
     * @param seconds at least this long of timed pairs per row
     * @param filter rows whose name it finds run
     * @param out where the table goes
     * @return 0
     */
    static int run(Path fixtures, int repeats, double seconds, Pattern filter, PrintStream out) {
        LlmBench bench = new LlmBench(repeats, seconds, filter, out);
        out.printf(Locale.ROOT, "# llm bench, load average %.2f%n", loadAverage());
        out.println("| row | attribution ms | raw ms | ratio, median of pairs [p25, p75] | pairs | warm-up |");
        out.println("|---|---|---|---|---|---|");
        try (HfTokenizer tokenizer = HfTokenizer.load(fixtures.resolve("models/tiny_gpt_tokenizer.json"))) {
            bench.model("tiny_gpt", fixtures.resolve("taps/tiny_gpt.pt"), tokenizer, 24, 4);
            bench.model("tiny_gpt6", fixtures.resolve("taps/tiny_gpt6.pt"), tokenizer, 48, 8);
        }
        out.printf(Locale.ROOT, "# load average after: %.2f%n", loadAverage());
        return 0;
    }

    private void model(String name, Path file, HfTokenizer tokenizer, int n, int k) {
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
            int width = prompt.length + k - 1;
            LLMTarget ids = LLMTarget.ids(target);

            LLMAttribution<FeatureAblation.Options> fa = new LLMAttribution<>(FeatureAblation::new, model, tokenizer,
                    LLMAttribution.AttrTarget.LOG_PROB, n + 1);
            FeatureAblation.Options faOptions = FeatureAblation.Options.builder().perturbationsPerEval(n + 1).build();
            NDArray faRows = rows(manager, prompt, target, n + 1);
            row("llm " + name + " FeatureAblation, N = " + n + " features vs 1 forward of N+1 rows",
                    () -> fa.attribute(input, ids, faOptions),
                    () -> rawForward(model, faRows, prompt.length - 1, target));

            LLMGradientAttribution<LayerIntegratedGradients.Options> ig = new LLMGradientAttribution<>(
                    LayerIntegratedGradients::new, model, LayerPath.of("wte"), tokenizer);
            LayerIntegratedGradients.Options igOptions = LayerIntegratedGradients.Options.builder().nSteps(50).build();
            // The attribution's passes: its steps per pass times the K rows of each step.
            int rowsPerPass = LLMGradientAttribution.rowsPerPass(width, k, igOptions.nSteps());
            NDArray igRows = rows(manager, prompt, target, k * igOptions.nSteps());
            long embedding = embeddingWidth(model, igRows.get("0:1"));
            row(String.format(Locale.ROOT, "llm %s LayerIG, K = %d, nSteps 50 vs forward+backward of K*50 rows"
                            + " (passes of %d rows)", name, k, rowsPerPass),
                    () -> ig.attribute(input, ids, igOptions),
                    () -> rawForwardBackward(model, igRows, rowsPerPass, prompt.length - 1, target, embedding));
            // The previous default (every row in one pass), against one raw pass of all rows.
            LayerIntegratedGradients.Options onePass = igOptions.toBuilder().internalBatchSize(k * igOptions.nSteps()).build();
            row(String.format(Locale.ROOT, "llm %s LayerIG, all K*50 rows in one pass vs forward+backward of them",
                            name),
                    () -> ig.attribute(input, ids, onePass),
                    () -> rawForwardBackward(model, igRows, k * igOptions.nSteps(), prompt.length - 1, target, embedding));
            row("llm " + name + " LayerIG, Captum's loop (K calls) vs batched (ratio = speed-up)",
                    () -> ig.attributeTokenByToken(input, ids, igOptions),
                    () -> ig.attribute(input, ids, igOptions));
            out.flush();
        }
    }

    /** {@code count} rows of prompt + the first K-1 target tokens. */
    private static NDArray rows(NDManager manager, long[] prompt, long[] target, int count) {
        int width = prompt.length + target.length - 1;
        long[] ids = new long[count * width];
        for (int r = 0; r < count; r++) {
            System.arraycopy(prompt, 0, ids, r * width, prompt.length);
            System.arraycopy(target, 0, ids, r * width + prompt.length, target.length - 1);
        }
        return manager.create(ids, new Shape(count, width));
    }

    /**
     * One forward of the rows; the log-softmax of positions {@code first .. first + K - 1}, the K
     * target tokens' entries gathered, read.
     */
    private static float[] rawForward(TorchScriptModel model, NDArray rows, int first, long[] target) {
        int k = target.length;
        try (NDManager pass = rows.getManager().newSubManager()) {
            NDArray logits = Gradients.forward(model, new NDList(rows), List.of());
            logits.attach(pass);
            long count = rows.getShape().get(0);
            long[] tokens = new long[(int) count * k];
            for (int r = 0; r < count; r++) {
                System.arraycopy(target, 0, tokens, r * k, k);
            }
            NDArray index = pass.create(tokens, new Shape(count, k, 1));
            return logits.get(new NDIndex(":, {}:{}", first, first + k)).logSoftmax(2).gather(index, 2).toFloatArray();
        }
    }

    /** The width of {@code wte}'s output, from one pass of {@code forward_taps}. */
    private static long embeddingWidth(TorchScriptModel model, NDArray row) {
        try (NDManager pass = row.getManager().newSubManager()) {
            NDList out = forwardTaps(model, row, (PtNDArray) pass.create(0f), (PtNDManager) pass);
            return out.get(1).getShape().get(2);
        }
    }

    private static NDList forwardTaps(TorchScriptModel model, NDArray ids, PtNDArray delta, PtNDManager manager) {
        return taps(model, "forward_taps", ids, List.of(IValue.listFrom(delta)), manager);
    }

    /**
     * {@code forward_taps_scaled} with scale 1 and a delta on {@code wte}: the module entry the
     * attribution's passes use for their replaced layer values, so that the raw passes and the
     * attribution's passes give TorchScript's profiling executor one input signature per method
     * ({@code forward_taps} alone also serves the attribution's no-gradient capture pass of 2K rows,
     * and alternating the two shapes there made it re-specialise in every pair).
     */
    private static NDList forwardTapsScaled(TorchScriptModel model, NDArray ids, PtNDArray delta, PtNDManager manager) {
        return taps(model, "forward_taps_scaled", ids,
                List.of(IValue.listFrom((PtNDArray) manager.create(1f)), IValue.listFrom(delta)), manager);
    }

    private static NDList taps(
            TorchScriptModel model, String method, NDArray ids, List<IValue> lists, PtNDManager manager) {
        IValue in = IValue.from((PtNDArray) ids);
        List<IValue> args = new java.util.ArrayList<>();
        args.add(in);
        args.addAll(lists);
        try (IValue result = Torch.runMethod(model.block(), method, args)) {
            return result.toNDList(manager);
        } finally {
            for (IValue v : args) {
                v.close();
            }
        }
    }

    /**
     * Plain forward + backward passes of {@code rowsPerPass} rows: row r's target is token {@code r
     * % K} at position {@code first + r % K} (the attribution's step-major rows).
     */
    private static float rawForwardBackward(
            TorchScriptModel model, NDArray rows, int rowsPerPass, int first, long[] target, long embedding) {
        int total = (int) rows.getShape().get(0);
        int width = (int) rows.getShape().get(1);
        int k = target.length;
        float check = 0;
        for (int start = 0; start < total; start += rowsPerPass) {
            int count = Math.min(rowsPerPass, total - start);
            long[] at = new long[count];
            long[] token = new long[count];
            for (int r = 0; r < count; r++) {
                int j = (start + r) % k;
                at[r] = (long) r * width + first + j;
                token[r] = target[j];
            }
            try (NDManager pass = rows.getManager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = pass.zeros(new Shape(count, width, embedding));
                leaf.setRequiresGradient(true);
                NDArray ids = rows.get(pass, new NDIndex("{}:{}", start, start + count));
                NDArray logits = forwardTapsScaled(model, ids, (PtNDArray) leaf, (PtNDManager) pass).get(0);
                long vocab = logits.getShape().get(2);
                NDArray picked = logits.reshape(count * (long) width, vocab).get(pass.create(at)).logSoftmax(1);
                NDArray lp = picked.gather(pass.create(token, new Shape(count, 1)), 1);
                collector.backward(lp.sum());
                check += leaf.getGradient().toFloatArray()[0];
            }
        }
        return check;
    }

    private void row(String name, Runnable attribution, Runnable raw) {
        if (!filter.matcher(name).find()) {
            return;
        }
        WarmUp.Result warm = WarmUp.run(() -> {
            attribution.run();
            raw.run();
        }, WARMUP_RUNS, WARMUP_SECONDS, MAX_WARMUP_SECONDS);
        double[] a = new double[MAX_PAIRS];
        double[] b = new double[MAX_PAIRS];
        double[] ratio = new double[MAX_PAIRS];
        long begin = System.nanoTime();
        int n = 0;
        while (n < MAX_PAIRS && (n < repeats || System.nanoTime() - begin < seconds * 1e9)) {
            long t0 = System.nanoTime();
            attribution.run();
            long t1 = System.nanoTime();
            raw.run();
            long t2 = System.nanoTime();
            a[n] = (t1 - t0) / 1e6;
            b[n] = (t2 - t1) / 1e6;
            ratio[n] = a[n] / b[n];
            n++;
        }
        double[] r = Arrays.copyOf(ratio, n);
        Arrays.sort(r);
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f [%.2f, %.2f] | %d | %d in %.1f s%s |%n", name,
                median(Arrays.copyOf(a, n)), median(Arrays.copyOf(b, n)), median(r), r[n / 4], r[(3 * n) / 4], n,
                warm.runs(), warm.seconds(), warm.settled() ? "" : ", not settled");
        out.flush();
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
