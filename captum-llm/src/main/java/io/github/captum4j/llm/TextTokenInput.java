package io.github.captum4j.llm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A prompt whose tokens are the interpretable features (Captum's {@code TextTokenInput}): the text
 * is encoded once (with the tokenizer's special tokens), every token except {@code skipTokens} is
 * a feature, and an absent token is replaced by the baseline token id (typically {@code <unk>} or
 * the pad id), so the prompt keeps its length.
 *
 * <pre>{@code
 * TextTokenInput input = TextTokenInput.of("the cat sat on the mat", tokenizer, "<unk>",
 *         List.of("<bos>"));
 * input.featureNames(); // [the, cat, sat, on, the, mat]
 * }</pre>
 */
public final class TextTokenInput implements InterpretableInput<long[]> {

    private final long[] ids;
    private final int[] positions;
    private final long baseline;
    private final List<String> names;

    private TextTokenInput(long[] ids, int[] positions, long baseline, List<String> names) {
        this.ids = ids;
        this.positions = positions;
        this.baseline = baseline;
        this.names = names;
    }

    /**
     * A token input with a baseline given as a token string.
     *
     * @param text the prompt
     * @param tokenizer the tokenizer
     * @param baselineToken the token an absent token becomes, e.g. {@code "<unk>"}
     * @param skipTokens tokens that are not features (e.g. {@code "<bos>"}), or {@code null}
     * @return the input
     * @throws IllegalArgumentException naming the argument that is malformed
     */
    public static TextTokenInput of(
            String text, Tokenizer tokenizer, String baselineToken, List<String> skipTokens) {
        requireTokenizer(tokenizer);
        if (baselineToken == null) {
            throw new IllegalArgumentException("baselineToken must not be null");
        }
        long[] skip = skipTokens == null ? new long[0] : tokenizer.tokensToIds(skipTokens);
        return of(text, tokenizer, tokenizer.tokenToId(baselineToken), skip);
    }

    /**
     * A token input with a baseline token id.
     *
     * @param text the prompt
     * @param tokenizer the tokenizer
     * @param baselineId the id an absent token becomes (Captum's default 0)
     * @param skipTokenIds ids that are not features, or {@code null}
     * @return the input
     * @throws IllegalArgumentException naming the argument that is malformed
     */
    public static TextTokenInput of(
            String text, Tokenizer tokenizer, long baselineId, long[] skipTokenIds) {
        requireTokenizer(tokenizer);
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        long[] ids = tokenizer.encode(text, true);
        Set<Long> skip = new HashSet<>();
        if (skipTokenIds != null) {
            for (long s : skipTokenIds) {
                skip.add(s);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (!skip.contains(ids[i])) {
                kept.add(i);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(
                    "text must hold at least one token outside skipTokens, got \"" + text + "\"");
        }
        int[] positions = kept.stream().mapToInt(Integer::intValue).toArray();
        long[] itp = new long[positions.length];
        for (int i = 0; i < itp.length; i++) {
            itp[i] = ids[positions[i]];
        }
        return new TextTokenInput(
                ids, positions, baselineId, List.copyOf(tokenizer.idsToTokens(itp)));
    }

    private static void requireTokenizer(Tokenizer tokenizer) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("tokenizer must not be null");
        }
    }

    @Override
    public int featureCount() {
        return positions.length;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    /**
     * Replaces every token whose entry is not 1 by the baseline id (Captum: {@code perturbed != 1}).
     *
     * @param presence one entry per feature
     * @return the prompt's token ids
     */
    @Override
    public long[] toModelInput(float[] presence) {
        if (presence.length != positions.length) {
            throw new IllegalArgumentException(
                    "presence must hold one entry per feature ("
                            + positions.length
                            + "), got "
                            + presence.length);
        }
        long[] out = ids.clone();
        for (int f = 0; f < positions.length; f++) {
            if (presence[f] != 1f) {
                out[positions[f]] = baseline;
            }
        }
        return out;
    }

    /**
     * The positions of the features in the encoded prompt.
     *
     * @return the positions, ascending
     */
    public int[] featurePositions() {
        return positions.clone();
    }

    /**
     * The baseline token id.
     *
     * @return the id
     */
    public long baselineId() {
        return baseline;
    }
}
