package io.github.captum4j.llm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The result of an LLM attribution (Captum's {@code LLMAttributionResult}): the attribution of the
 * whole target's log-probability to every input feature ({@link #seqAttr()}), and for the methods
 * that give it, of each target token's ({@link #tokenAttr()}, output tokens x input features);
 * plus the tokens and the unperturbed log-probabilities. Plain Java arrays: nothing to close.
 *
 * <pre>{@code
 * LLMAttributionResult r = llm.attribute(input, LLMTarget.text("and it ran", List.of("<bos>")));
 * r.plotTokenAttr(Path.of("heat.png"));
 * Files.writeString(Path.of("attr.html"), r.toHtml());
 * }</pre>
 */
public final class LLMAttributionResult {

    private final float[] seqAttr;
    private final float[][] tokenAttr;
    private final List<String> inputTokens;
    private final List<String> outputTokens;
    private final long[] targetIds;
    private final long[] promptIds;
    private final float[] logProbs;
    private final float[] delta;

    LLMAttributionResult(
            float[] seqAttr,
            float[][] tokenAttr,
            List<String> inputTokens,
            List<String> outputTokens,
            long[] targetIds,
            long[] promptIds,
            float[] logProbs,
            float[] delta) {
        this.seqAttr = seqAttr;
        this.tokenAttr = tokenAttr;
        this.inputTokens = List.copyOf(inputTokens);
        this.outputTokens = List.copyOf(outputTokens);
        this.targetIds = targetIds;
        this.promptIds = promptIds;
        this.logProbs = logProbs;
        this.delta = delta;
    }

    /**
     * The wrapped gradient method's convergence delta per target token (LayerIntegratedGradients
     * with {@code returnConvergenceDelta}): \( \sum_i \mathrm{attr}_{k,i} - (\ell_k(x) -
     * \ell_k(x')) \) over all positions.
     *
     * @return one delta per target token, or empty
     */
    public Optional<float[]> convergenceDelta() {
        return Optional.ofNullable(delta).map(float[]::clone);
    }

    /**
     * Attribution of the target sequence (sum of its token log-probabilities) per input feature.
     *
     * @return one value per input token / value
     */
    public float[] seqAttr() {
        return seqAttr.clone();
    }

    /**
     * Per target token, the attribution of its log-probability per input feature; empty for Lime
     * and KernelShap (Captum returns {@code None}).
     *
     * @return {@code [outputToken][inputFeature]}
     */
    public Optional<float[][]> tokenAttr() {
        if (tokenAttr == null) {
            return Optional.empty();
        }
        float[][] copy = new float[tokenAttr.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = tokenAttr[i].clone();
        }
        return Optional.of(copy);
    }

    /**
     * The input features' values (template values or prompt tokens).
     *
     * @return the names
     */
    public List<String> inputTokens() {
        return inputTokens;
    }

    /**
     * The target tokens, readable.
     *
     * @return the tokens
     */
    public List<String> outputTokens() {
        return outputTokens;
    }

    /**
     * The target token ids.
     *
     * @return the ids
     */
    public long[] targetIds() {
        return targetIds.clone();
    }

    /**
     * The unperturbed prompt's token ids (with special tokens).
     *
     * @return the ids
     */
    public long[] promptIds() {
        return promptIds.clone();
    }

    /**
     * The unperturbed log-probabilities {@code [sum_k lp_k, lp_1, ..., lp_K]}.
     *
     * @return the log-probabilities
     */
    public float[] logProbs() {
        return logProbs.clone();
    }

    /**
     * Writes Captum's {@code plot_token_attr} heat map (output tokens x input tokens, diverging
     * red-white-blue scale symmetric around 0, values written in the cells) as PNG.
     *
     * @param png the file
     * @throws IOException if it cannot be written
     * @throws IllegalStateException if there is no token attribution
     */
    public void plotTokenAttr(Path png) throws IOException {
        if (tokenAttr == null) {
            throw new IllegalStateException(
                    "tokenAttr is absent (Lime/KernelShap): use plotSeqAttr instead");
        }
        LLMPlots.tokenHeatMap(tokenAttr, inputTokens, outputTokens, png);
    }

    /**
     * Writes Captum's {@code plot_seq_attr} bar chart (one bar per input token, blue positive,
     * red negative) as PNG.
     *
     * @param png the file
     * @throws IOException if it cannot be written
     */
    public void plotSeqAttr(Path png) throws IOException {
        LLMPlots.seqBars(seqAttr, inputTokens, png);
    }

    /**
     * An HTML page with the sequence attribution as highlighted input tokens and, if present, the
     * token attribution heat map as a table with values.
     *
     * @return the HTML document
     */
    public String toHtml() {
        return LLMPlots.html(seqAttr, tokenAttr, inputTokens, outputTokens);
    }
}
