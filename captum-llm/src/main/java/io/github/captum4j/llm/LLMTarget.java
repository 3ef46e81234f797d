package io.github.captum4j.llm;

import java.util.List;

/**
 * What the LLM attribution explains: a target text, target token ids, or the model's own greedy
 * continuation (Captum's {@code target} / {@code skip_tokens} / {@code gen_args}).
 *
 * <pre>{@code
 * LLMTarget.text("and it ran", List.of("<bos>")); // encoded with special tokens, <bos> skipped
 * LLMTarget.generate(25);                          // greedy, 25 new tokens
 * }</pre>
 */
public sealed interface LLMTarget {

    /**
     * A target text, encoded WITH the tokenizer's special tokens (as Captum does), minus the skip
     * tokens.
     *
     * @param text the target text
     * @param skipTokens tokens removed from the encoded target (e.g. {@code "<bos>"}), may be
     *     empty
     * @param skipTokenIds ids removed from the encoded target, may be empty
     */
    record Text(String text, List<String> skipTokens, long[] skipTokenIds) implements LLMTarget {
        /**
         * Validates the components.
         *
         * @param text the target text
         * @param skipTokens tokens removed from the encoded target (e.g. {@code "<bos>"}), may be
         *     empty
         * @param skipTokenIds ids removed from the encoded target, may be empty
         */
        public Text {
            if (text == null) {
                throw new IllegalArgumentException("target text must not be null");
            }
            skipTokens = skipTokens == null ? List.of() : List.copyOf(skipTokens);
            skipTokenIds = skipTokenIds == null ? new long[0] : skipTokenIds.clone();
        }
    }

    /**
     * Target token ids, used as given.
     *
     * @param ids the ids, at least one
     */
    record Ids(long[] ids) implements LLMTarget {
        /**
         * Validates the ids.
         *
         * @param ids the ids, at least one
         */
        public Ids {
            if (ids == null || ids.length == 0) {
                throw new IllegalArgumentException("target ids must hold at least one id");
            }
            ids = ids.clone();
        }
    }

    /**
     * The model's greedy continuation of the unperturbed prompt.
     *
     * @param maxNewTokens tokens generated, {@code >= 1} (Captum's default 25)
     */
    record Generate(int maxNewTokens) implements LLMTarget {
        /**
         * Validates the count.
         *
         * @param maxNewTokens tokens generated, {@code >= 1} (Captum's default 25)
         */
        public Generate {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException(
                        "maxNewTokens must be >= 1, got " + maxNewTokens);
            }
        }
    }

    /**
     * A target text, special tokens kept.
     *
     * @param text the text
     * @return the target
     */
    static LLMTarget text(String text) {
        return new Text(text, List.of(), null);
    }

    /**
     * A target text without the given tokens.
     *
     * @param text the text
     * @param skipTokens tokens removed from the encoded text
     * @return the target
     */
    static LLMTarget text(String text, List<String> skipTokens) {
        return new Text(text, skipTokens, null);
    }

    /**
     * A target text without the given ids.
     *
     * @param text the text
     * @param skipTokenIds ids removed from the encoded text
     * @return the target
     */
    static LLMTarget textSkippingIds(String text, long... skipTokenIds) {
        return new Text(text, null, skipTokenIds);
    }

    /**
     * Target ids.
     *
     * @param ids the ids
     * @return the target
     */
    static LLMTarget ids(long... ids) {
        return new Ids(ids);
    }

    /**
     * Greedy generation.
     *
     * @param maxNewTokens tokens to generate
     * @return the target
     */
    static LLMTarget generate(int maxNewTokens) {
        return new Generate(maxNewTokens);
    }
}
