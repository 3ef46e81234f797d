package io.github.captum4j.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.attr.layer.LayerAttributionMethod;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Gradient attribution of a causal LM's target tokens to the prompt's tokens through the embedding
 * layer (Captum's {@code LLMGradientAttribution}): for target token k, the layer method (e.g.
 * LayerIntegratedGradients) explains \( \ell_k = \log p(t_k \mid p, t_{&lt;k}) \) at the embedding
 * output of \( p \oplus t_{&lt;k} \), with the baseline prompt = every interpretable token replaced by
 * the input's baseline id; the attribution is summed over the embedding dimension and kept at the
 * interpretable prompt positions ({@code tokenAttr[k]}); {@code seqAttr} = \( \sum_k \) {@code
 * tokenAttr[k]}. For LayerIntegratedGradients, per target token:
 *
 * <p>\( \mathrm{attr}_{k,i} = \sum_d (e_{i,d} - e'_{i,d}) \int_0^1 \frac{\partial \ell_k(e' +
 * \alpha (e - e'))}{\partial e_{i,d}} d\alpha \)
 *
 * <p>Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017 (<a
 * href="https://arxiv.org/abs/1703.01365">arXiv:1703.01365</a>); Captum 0.7's LLM attribution.
 *
 * <p>Faster than Captum by construction: Captum runs the method once per target token (K
 * backward passes over growing sequences); here the K targets are K rows of ONE call over the full
 * sequence \( p \oplus t_{&lt;K} \) (a per-row target \( (|p| - 2 + k, t_k) \); causal attention
 * makes each row's gradient that of its own prefix), so all K x nSteps rows share batched
 * forward/backward passes. The wrapped options' {@code internalBatchSize} bounds the rows per
 * pass; when LayerIntegratedGradients' is not set, the batched call uses at most {@value
 * #TOKENS_PER_PASS} tokens per pass (rows of {@code |p| + K - 1} tokens), spread evenly over the
 * fewest passes ({@link #rowsPerPass}): one pass of all K x
 * nSteps rows is slower than a few smaller ones once its activations outgrow the CPU caches (6-block
 * d 64 model, 400 rows of 56 tokens: 2.4 s in one pass, 0.9 s in passes of 100 rows), and memory
 * stays bounded as K grows. {@link #attributeTokenByToken} is Captum's loop, kept for comparison
 * (in the bench 0.87-1.02x the batched call's time on that 6-block model, 0.96-1.44x on the
 * 2-block tiny_gpt, under load: README, LLM bench). The result's log-probabilities are read from the layer
 * method's own pass over the unperturbed prompt (its capture pass of the layer values), so no
 * separate scoring forward runs when the method makes one.
 *
 * <pre>{@code
 * TorchScriptModel lm = TorchScriptModel.load(Path.of("tiny_gpt_taps.pt")); // taps on "wte"
 * LLMGradientAttribution<LayerIntegratedGradients.Options> llm = new LLMGradientAttribution<>(
 *         LayerIntegratedGradients::new, lm, LayerPath.of("wte"), tokenizer);
 * TextTokenInput prompt = TextTokenInput.of("the cat sat", tokenizer, "<unk>", List.of("<bos>"));
 * LLMAttributionResult r = llm.attribute(prompt, LLMTarget.text("and it ran", List.of("<bos>")),
 *         LayerIntegratedGradients.Options.builder().nSteps(50).build());
 * }</pre>
 *
 * @param <O> the wrapped layer method's options
 */
public final class LLMGradientAttribution<O extends Record> {

    /**
     * Tokens per forward + backward pass of the batched call when LayerIntegratedGradients'
     * {@code internalBatchSize} is not set (the bound of {@link #rowsPerPass}).
     */
    public static final int TOKENS_PER_PASS = 4096;

    private final BiFunction<LayerAccess, LayerPath, ? extends LayerAttributionMethod<O>> method;
    private final LayerAccess model;
    private final LayerPath layer;
    private final Tokenizer tokenizer;

    /**
     * Gradient LLM attribution.
     *
     * @param method builds the layer method, {@code LayerIntegratedGradients::new} or {@code
     *     LayerGradientXActivation::new}
     * @param model the causal LM with its layers reachable ({@code ids (B, T) -> logits (B, T,
     *     V)}), e.g. a TorchScript module exported with taps by {@code tools/export_taps.py}
     * @param layer the embedding layer (e.g. {@code wte})
     * @param tokenizer the tokenizer
     * @throws IllegalArgumentException naming the argument that is invalid
     */
    public LLMGradientAttribution(
            BiFunction<LayerAccess, LayerPath, ? extends LayerAttributionMethod<O>> method,
            LayerAccess model,
            LayerPath layer,
            Tokenizer tokenizer) {
        LLMAttribution.requireNonNull(method, "method");
        LLMAttribution.requireNonNull(model, "model");
        LLMAttribution.requireNonNull(layer, "layer");
        LLMAttribution.requireNonNull(tokenizer, "tokenizer");
        if (!model.layerNames().contains(layer.name())) {
            throw new IllegalArgumentException(
                    "layer must be a layer of the model " + model.layerNames() + ", got " + layer.name());
        }
        this.method = method;
        this.model = model;
        this.layer = layer;
        this.tokenizer = tokenizer;
    }

    /**
     * Attributes every target token in one batched call.
     *
     * @param input the prompt's tokens
     * @param target the target text, ids, or generation
     * @param options the layer method's options
     * @return the result (with the convergence deltas if the options ask for them)
     */
    public LLMAttributionResult attribute(TextTokenInput input, LLMTarget target, O options) {
        return run(input, target, options, true);
    }

    /**
     * Captum's loop: one call (one backward pass per path batch) per target token over the growing
     * sequence. Same numbers as {@link #attribute} up to float rounding, K times the passes.
     *
     * @param input the prompt's tokens
     * @param target the target
     * @param options the layer method's options
     * @return the result
     */
    public LLMAttributionResult attributeTokenByToken(
            TextTokenInput input, LLMTarget target, O options) {
        return run(input, target, options, false);
    }

    private LLMAttributionResult run(TextTokenInput input, LLMTarget target, O options, boolean batched) {
        LLMAttribution.requireNonNull(input, "input");
        LLMAttribution.requireNonNull(target, "target");
        LLMAttribution.requireNonNull(options, "options");
        CausalLMScorer scorer = new CausalLMScorer(model.forwardFunction(), 64);
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] prompt = input.toModelInput();
            long[] targetIds = LLMAttribution.targetIds(target, prompt, tokenizer, scorer, manager);
            int k = targetIds.length;
            float[][] tokenAttr = new float[k][];
            float[] delta = null;
            // The target's log-probabilities come from the method's own pass over the unperturbed
            // prompt when it ran one (a scoring forward otherwise).
            float[] lp = new float[k];
            boolean scored = true;
            if (batched) {
                O bounded = withPassBudget(options, prompt.length + k - 1, k);
                Call call = call(input, targetIds, k - 1, 0, k, manager, bounded);
                tokenAttr = call.attr;
                delta = call.delta;
                scored = call.lp != null;
                lp = scored ? call.lp : lp;
            } else {
                for (int j = 0; j < k; j++) {
                    Call call = call(input, targetIds, j, j, 1, manager, options);
                    tokenAttr[j] = call.attr[0];
                    if (call.delta != null) {
                        delta = delta == null ? new float[k] : delta;
                        delta[j] = call.delta[0];
                    }
                    scored &= call.lp != null;
                    lp[j] = call.lp != null ? call.lp[0] : 0f;
                }
            }
            if (!scored) {
                lp = scorer.logProbs(List.of(prompt), targetIds, manager)[0];
            }
            float[] seq = new float[input.featureCount()];
            for (float[] row : tokenAttr) {
                for (int i = 0; i < seq.length; i++) {
                    seq[i] += row[i];
                }
            }
            return new LLMAttributionResult(
                    seq,
                    tokenAttr,
                    input.featureNames(),
                    tokenizer.prettyTokens(targetIds),
                    targetIds,
                    prompt,
                    LLMAttribution.withSum(lp),
                    delta);
        }
    }

    /**
     * One layer-method call's result.
     *
     * @param attr per target row, the attribution at the interpretable positions
     * @param delta per target row, the convergence delta, or {@code null}
     * @param lp per target row, the unperturbed log-probability, or {@code null} when the method
     *     ran no unshifted pass over the unperturbed prompt
     */
    private record Call(float[][] attr, float[] delta, float[] lp) {}

    /**
     * LayerIntegratedGradients' options with {@code internalBatchSize} = {@link #rowsPerPass} when
     * not set (per-row gradients do not depend on the passes); other options as given.
     */
    @SuppressWarnings("unchecked")
    static <O extends Record> O withPassBudget(O options, int width, int k) {
        if (options instanceof LayerIntegratedGradients.Options o && o.internalBatchSize() == null) {
            return (O) o.toBuilder().internalBatchSize(rowsPerPass(width, k, o.nSteps())).build();
        }
        return options;
    }

    /**
     * Rows per forward + backward pass of the batched call when {@code internalBatchSize} is not
     * set: the fewest passes of whole steps (K rows each) within {@value #TOKENS_PER_PASS} tokens
     * per pass (at least one step), the steps spread evenly over them: \( p = \lceil n / s \rceil
     * \) passes of \( \lceil n / p \rceil \) steps (the last one the rest), \( s = \max(1, \lfloor
     * \lfloor 4096 / w \rfloor / K \rfloor) \). 50 steps with a budget of 36 make two passes of 25,
     * one row count, where 36 + 14 would give the model a second input shape (TorchScript's
     * profiling executor specialises per shape).
     *
     * <pre>{@code
     * LLMGradientAttribution.rowsPerPass(28, 4, 50); // 100: two passes of 25 steps
     * }</pre>
     *
     * @param width tokens per row, {@code |p| + K - 1}
     * @param k target tokens (rows per step)
     * @param nSteps path steps
     * @return rows per pass, a multiple of {@code k}
     * @throws IllegalArgumentException if an argument is below 1
     */
    public static int rowsPerPass(int width, int k, int nSteps) {
        if (width < 1 || k < 1 || nSteps < 1) {
            throw new IllegalArgumentException(
                    "width, k and nSteps must be >= 1, got " + width + ", " + k + ", " + nSteps);
        }
        int budgetSteps = Math.max(1, Math.max(1, TOKENS_PER_PASS / width) / k);
        int passes = (nSteps + budgetSteps - 1) / budgetSteps;
        return (nSteps + passes - 1) / passes * k;
    }

    /**
     * One call of the layer method: rows for targets {@code first .. first+count-1} (0-based) over
     * the prompt followed by the first {@code prefix} target tokens.
     */
    private Call call(
            TextTokenInput input, long[] targetIds, int prefix, int first, int count,
            NDManager manager, O options) {
        long[] suffix = Arrays.copyOf(targetIds, prefix);
        int promptLength = input.toModelInput().length;
        // Row j's target is at position promptLength - 1 + j; the model outputs positions from the
        // first row's on, so the target is (j - first, t_j).
        TokenLayerModel lm = new TokenLayerModel(
                model, input, suffix, promptLength - 1 + first, Arrays.copyOfRange(targetIds, first, first + count));
        LayerAttributionMethod<O> m = method.apply(lm, layer);
        if (m == null) {
            throw new IllegalArgumentException("method must build a layer method, got null");
        }
        List<int[]> tuples = new ArrayList<>(count);
        for (int j = first; j < first + count; j++) {
            tuples.add(new int[] {j - first, (int) targetIds[j]});
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray ones = input.toTensor(call).repeat(0, count);
            Inputs inputs = Inputs.of(ones);
            if (m.usesBaselines()) {
                inputs = inputs.withBaselines(Baselines.scalar(0));
            }
            try (Attribution a = m.attribute(inputs, Target.perExample(tuples), options)) {
                NDArray summed = a.attribution(0).toType(DataType.FLOAT32, false).sum(new int[] {2});
                float[] flat = summed.toFloatArray();
                int width = (int) summed.getShape().get(1);
                int[] positions = input.featurePositions();
                float[][] attr = new float[count][positions.length];
                for (int r = 0; r < count; r++) {
                    for (int i = 0; i < positions.length; i++) {
                        attr[r][i] = flat[r * width + positions[i]];
                    }
                }
                Optional<NDArray> d = a.convergenceDelta();
                float[] delta = d.map(x -> x.toType(DataType.FLOAT32, false).toFloatArray()).orElse(null);
                return new Call(attr, delta, lm.unperturbedLogProbs());
            }
        }
    }
}
