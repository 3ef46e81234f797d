package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Perturbation attribution of a causal language model's output to the features of its prompt
 * (Captum's {@code LLMAttribution}). The wrapped method perturbs the prompt's interpretable
 * representation (a row of ones, baseline 0 = feature absent); each perturbed row is formatted
 * into a prompt, and the explained output is the target's log-probability under teacher forcing:
 *
 * <p>\( \ell_k = \log \mathrm{softmax}\big(\mathrm{logits}(p \oplus t_{&lt;k})_{\mathrm{last}}\big)_{t_k},
 * \qquad F(p) = \big[\textstyle\sum_k \ell_k,\ \ell_1, \dots, \ell_K\big] \)
 *
 * <p>(probabilities {@code exp} of each with {@link AttrTarget#PROB}). {@code seqAttr} is the
 * attribution of \( \sum_k \ell_k \); {@code tokenAttr[k]} that of \( \ell_k \), for
 * FeatureAblation, ShapleyValues and ShapleyValueSampling (Lime and KernelShap explain the sum
 * only). Ribeiro et al. 2016 (interpretable representations); Captum 0.7's LLM attribution
 * (Miglani et al., "Using Captum to Explain Generative Language Models", 2023, <a
 * href="https://arxiv.org/abs/2312.05491">arXiv:2312.05491</a>).
 *
 * <p>Faster than Captum by construction: every target token of a perturbed prompt is scored by
 * one forward over {@code p + t_1..t_{K-1}} (Captum runs K incremental forwards), and the
 * {@code perturbationsPerEval} prompts of one evaluation share one right-padded forward of at
 * most {@code batchSize} rows. The model is any function {@code ids (B, T) int64 -> logits (B, T,
 * V)} of a causal LM (e.g. a {@link io.github.captum4j.core.model.TorchScriptModel}).
 *
 * <pre>{@code
 * LLMAttribution<FeatureAblation.Options> llm =
 *         new LLMAttribution<>(FeatureAblation::new, TorchScriptModel.load(pt), tokenizer);
 * TextTemplateInput prompt = TextTemplateInput.of("{} {} sat on the {}",
 *         List.of("the", "cat", "mat"));
 * LLMAttributionResult r = llm.attribute(prompt, LLMTarget.text("and it ran", List.of("<bos>")),
 *         FeatureAblation.Options.DEFAULTS);
 * }</pre>
 *
 * @param <O> the wrapped method's options
 */
public final class LLMAttribution<O extends Record> {

    /** What the wrapped method explains (Captum's {@code attr_target}). */
    public enum AttrTarget {
        /** Log-probabilities (Captum's default). */
        LOG_PROB,
        /** Probabilities. */
        PROB
    }

    /** Default rows per model forward. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private final Function<ForwardFunction, ? extends AttributionMethod<O>> method;
    private final ForwardFunction model;
    private final Tokenizer tokenizer;
    private final AttrTarget attrTarget;
    private final int batchSize;

    /**
     * LLM attribution towards log-probabilities, {@value #DEFAULT_BATCH_SIZE} rows per forward.
     *
     * @param method builds the wrapped method on a forward function, e.g. {@code
     *     FeatureAblation::new}: FeatureAblation, ShapleyValues, ShapleyValueSampling, KernelShap
     *     or Lime
     * @param model the causal LM, {@code ids (B, T) -> logits (B, T, V)}
     * @param tokenizer its tokenizer
     */
    public LLMAttribution(
            Function<ForwardFunction, ? extends AttributionMethod<O>> method,
            ForwardFunction model,
            Tokenizer tokenizer) {
        this(method, model, tokenizer, AttrTarget.LOG_PROB, DEFAULT_BATCH_SIZE);
    }

    /**
     * LLM attribution.
     *
     * @param method builds the wrapped method on a forward function
     * @param model the causal LM
     * @param tokenizer its tokenizer
     * @param attrTarget log-probabilities or probabilities
     * @param batchSize rows per model forward, {@code >= 1} (bounds memory)
     * @throws IllegalArgumentException naming the argument that is invalid
     */
    public LLMAttribution(
            Function<ForwardFunction, ? extends AttributionMethod<O>> method,
            ForwardFunction model,
            Tokenizer tokenizer,
            AttrTarget attrTarget,
            int batchSize) {
        requireNonNull(method, "method");
        requireNonNull(model, "model");
        requireNonNull(tokenizer, "tokenizer");
        requireNonNull(attrTarget, "attrTarget");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.method = method;
        this.model = model;
        this.tokenizer = tokenizer;
        this.attrTarget = attrTarget;
        this.batchSize = batchSize;
    }

    static void requireNonNull(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /**
     * Attributes with the wrapped method's default options.
     *
     * @param input the prompt
     * @param target the target
     * @return the result
     */
    public LLMAttributionResult attribute(InterpretableInput<?> input, LLMTarget target) {
        return attribute(input, target, wrapped((x, args) -> x.get(0)).defaultOptions());
    }

    /**
     * Attributes the target's log-probabilities to the prompt's features.
     *
     * @param input the prompt: a {@link TextTemplateInput} or {@link TextTokenInput} (any
     *     interpretable input whose model input is a {@code String} or {@code long[]} ids)
     * @param target the target text, ids, or generation
     * @param options the wrapped method's options (e.g. {@code nSamples}, {@code seed})
     * @return the result
     * @throws IllegalArgumentException naming the argument that is invalid
     */
    public LLMAttributionResult attribute(
            InterpretableInput<?> input, LLMTarget target, O options) {
        requireNonNull(input, "input");
        requireNonNull(target, "target");
        requireNonNull(options, "options");
        CausalLMScorer scorer = new CausalLMScorer(model, batchSize);
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] prompt = promptIds(input.toModelInput(), tokenizer);
            long[] targetIds = targetIds(target, prompt, tokenizer, scorer, manager);
            InterpretableForward.Memoized<Object> f = forward(input, targetIds, scorer);
            AttributionMethod<O> wrapped = wrapped(f);
            boolean perToken = perToken(wrapped);
            int rows = perToken ? targetIds.length + 1 : 1;
            int n = input.featureCount();
            NDArray present = input.toTensor(manager);
            float[] flat; // the rows' attributions, row-major (rows x n)
            if (wrapped instanceof FeatureAblation) {
                // One row, the K + 1 outputs as targets sharing every perturbed pass.
                Target[] columns = new Target[rows];
                for (int i = 0; i < rows; i++) {
                    columns[i] = Target.index(i);
                }
                Inputs inputs = Inputs.of(present).withBaselines(Baselines.scalar(0));
                List<Attribution> all = wrapped.attribute(inputs, Target.many(columns), options);
                // The K + 1 attributions read by one copy out of the engine.
                ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList(rows);
                for (Attribution a : all) {
                    parts.add(a.attribution(0));
                }
                flat = floats(ai.djl.ndarray.NDArrays.stack(parts, 0));
                for (Attribution a : all) {
                    a.close();
                }
            } else {
                // One row per explained output (the methods run their passes once for the batch).
                NDArray ones = present.repeat(0, rows);
                Inputs inputs = Inputs.of(ones).withBaselines(Baselines.scalar(0));
                int[] columns = new int[rows];
                for (int i = 0; i < rows; i++) {
                    columns[i] = i;
                }
                Target t = perToken ? Target.perExample(columns) : Target.index(0);
                try (Attribution a = wrapped.attribute(inputs, t, options)) {
                    flat = floats(a.attribution(0));
                }
            }
            float[][] attr = new float[rows][];
            for (int r = 0; r < rows; r++) {
                attr[r] = java.util.Arrays.copyOfRange(flat, r * n, (r + 1) * n);
            }
            float[] unperturbed;
            if (attrTarget == AttrTarget.PROB) {
                unperturbed = withSum(scorer.logProbs(List.of(prompt), targetIds, manager)[0]);
            } else {
                // After the attribution: the unperturbed row is then usually remembered by f
                // (FeatureAblation evaluates it in its first pass), so it costs no model run of its own.
                float[] ones = new float[n];
                java.util.Arrays.fill(ones, 1f);
                unperturbed = f.remembered(ones);
                if (unperturbed == null) {
                    unperturbed = f.forwardArray(ones, new long[] {1, n}).values();
                }
            }
            attr = input.expandAttributions(attr);
            float[][] tokenAttr = perToken ? java.util.Arrays.copyOfRange(attr, 1, rows) : null;
            return new LLMAttributionResult(
                    attr[0],
                    tokenAttr,
                    input.featureNames(),
                    tokenizer.prettyTokens(targetIds),
                    targetIds,
                    prompt,
                    unperturbed,
                    null);
        }
    }

    private static float[] floats(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    private AttributionMethod<O> wrapped(ForwardFunction f) {
        AttributionMethod<O> m = method.apply(f);
        if (m == null) {
            throw new IllegalArgumentException("method must build an attribution method, got null");
        }
        return m;
    }

    private static boolean perToken(AttributionMethod<?> m) {
        if (m instanceof FeatureAblation
                || m instanceof ShapleyValues
                || m instanceof ShapleyValueSampling) {
            return true;
        }
        if (m instanceof Lime || m instanceof KernelShap) {
            return false;
        }
        throw new IllegalArgumentException(
                "method must build FeatureAblation, ShapleyValues, ShapleyValueSampling, KernelShap"
                        + " or Lime, got "
                        + m.getClass().getSimpleName());
    }

    private InterpretableForward.Memoized<Object> forward(
            InterpretableInput<?> input, long[] targetIds, CausalLMScorer scorer) {
        @SuppressWarnings("unchecked")
        InterpretableInput<Object> any = (InterpretableInput<Object>) input;
        return InterpretableForward.ofValues(
                any,
                (rows, manager) -> {
                    List<long[]> prompts = new ArrayList<>(rows.size());
                    for (Object row : rows) {
                        prompts.add(promptIds(row, tokenizer));
                    }
                    float[][] lp = scorer.logProbs(prompts, targetIds, manager);
                    int width = targetIds.length + 1;
                    float[] out = new float[rows.size() * width];
                    for (int r = 0; r < lp.length; r++) {
                        float[] row = withSum(lp[r]);
                        for (int j = 0; j < width; j++) {
                            out[r * width + j] =
                                    attrTarget == AttrTarget.PROB ? (float) Math.exp(row[j]) : row[j];
                        }
                    }
                    return new ArrayForward.Output(out, rows.size(), width);
                });
    }

    /** {@code [sum, lp_1, ..., lp_K]}, summed in float as torch does. */
    static float[] withSum(float[] lp) {
        float[] out = new float[lp.length + 1];
        float sum = 0f;
        for (int i = 0; i < lp.length; i++) {
            sum += lp[i];
            out[i + 1] = lp[i];
        }
        out[0] = sum;
        return out;
    }

    /**
     * The prompt ids of a model input: text is encoded with special tokens, ids are used as given
     * (Captum's {@code _format_model_input}).
     */
    static long[] promptIds(Object modelInput, Tokenizer tokenizer) {
        if (modelInput instanceof String) {
            return tokenizer.encode((String) modelInput, true);
        }
        if (modelInput instanceof long[]) {
            return (long[]) modelInput;
        }
        throw new IllegalArgumentException(
                "input must format to text or token ids (long[]), got "
                        + (modelInput == null ? "null" : modelInput.getClass().getSimpleName()));
    }

    /** Captum's {@code _get_target_tokens}. */
    static long[] targetIds(
            LLMTarget target,
            long[] prompt,
            Tokenizer tokenizer,
            CausalLMScorer scorer,
            NDManager manager) {
        if (target instanceof LLMTarget.Generate g) {
            return scorer.generate(prompt, g.maxNewTokens(), manager);
        }
        if (target instanceof LLMTarget.Ids ids) {
            return ids.ids();
        }
        LLMTarget.Text text = (LLMTarget.Text) target;
        java.util.Set<Long> skip = new java.util.HashSet<>();
        for (long id : tokenizer.tokensToIds(text.skipTokens())) {
            skip.add(id);
        }
        for (long id : text.skipTokenIds()) {
            skip.add(id);
        }
        long[] encoded = tokenizer.encode(text.text(), true);
        long[] kept = java.util.Arrays.stream(encoded).filter(id -> !skip.contains(id)).toArray();
        if (kept.length == 0) {
            throw new IllegalArgumentException(
                    "target must hold at least one token outside skipTokens, got \""
                            + text.text()
                            + "\"");
        }
        return kept;
    }
}
