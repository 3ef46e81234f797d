package io.github.captum4j.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokenizer seen by LLM attribution: text to token ids and back (Captum's {@code
 * TokenizerLike}). {@link HfTokenizer} implements it over DJL's HuggingFace tokenizers; any other
 * tokenizer plugs in by implementing these four methods.
 *
 * <pre>{@code
 * Tokenizer tokenizer = HfTokenizer.load(Path.of("tokenizer.json"));
 * long[] ids = tokenizer.encode("the cat sat", true); // with <bos>
 * }</pre>
 */
public interface Tokenizer {

    /**
     * Encodes a text.
     *
     * @param text the text
     * @param addSpecialTokens whether the tokenizer's special tokens (e.g. {@code <bos>}) are added,
     *     as HuggingFace's {@code add_special_tokens}
     * @return the token ids
     */
    long[] encode(String text, boolean addSpecialTokens);

    /**
     * Decodes token ids to text (special tokens kept).
     *
     * @param ids the token ids
     * @return the text
     */
    String decode(long[] ids);

    /**
     * The token string of each id (HuggingFace's {@code convert_ids_to_tokens}).
     *
     * @param ids the token ids
     * @return one token per id
     */
    List<String> idsToTokens(long[] ids);

    /**
     * The id of one token string (HuggingFace's {@code convert_tokens_to_ids}).
     *
     * @param token a token of the vocabulary
     * @return its id
     * @throws IllegalArgumentException if the token is not one token of the vocabulary
     */
    long tokenToId(String token);

    /**
     * The ids of token strings.
     *
     * @param tokens tokens of the vocabulary
     * @return their ids
     */
    default long[] tokensToIds(List<String> tokens) {
        long[] ids = new long[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenToId(tokens.get(i));
        }
        return ids;
    }

    /**
     * Readable tokens for display: each id decoded on its own, with the byte-level BPE and
     * SentencePiece word markers ({@code Ġ}, {@code ▁}) removed (Captum's fallback of {@code
     * _convert_ids_to_pretty_tokens}).
     *
     * @param ids the token ids
     * @return one readable token per id
     */
    default List<String> prettyTokens(long[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            out.add(decode(new long[] {id}).replace("Ġ", " ").replace("▁", " ").strip());
        }
        return out;
    }
}
