package io.github.captum4j.llm;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link Tokenizer} over DJL's HuggingFace tokenizers ({@code ai.djl.huggingface:tokenizers}):
 * loads a {@code tokenizer.json} from disk, offline (the native library ships inside the jar).
 * Encoding applies the file's normaliser, pre-tokeniser, model and, with special tokens, its
 * post-processor (e.g. the {@code <bos>} a {@code TemplateProcessing} prepends). No truncation,
 * no padding.
 *
 * <pre>{@code
 * try (HfTokenizer tokenizer = HfTokenizer.load(Path.of("tiny_gpt_tokenizer.json"))) {
 *     long[] ids = tokenizer.encode("the cat", true); // [1, 4, 6]
 * }
 * }</pre>
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param file the {@code tokenizer.json} file
     * @return the tokenizer; close it to free the native tokenizer
     * @throws IllegalArgumentException if the file does not exist
     * @throws UncheckedIOException if it cannot be read
     */
    public static HfTokenizer load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "file must be an existing tokenizer.json, got " + file);
        }
        try {
            return new HfTokenizer(
                    HuggingFaceTokenizer.newInstance(
                            file, Map.of("truncation", "false", "padding", "false")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
    }

    @Override
    public long[] encode(String text, boolean addSpecialTokens) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
    }

    @Override
    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public List<String> idsToTokens(long[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            out.add(tokenizer.decode(new long[] {id}, false));
        }
        return out;
    }

    @Override
    public long tokenToId(String token) {
        long[] ids = tokenizer.encode(token, false, false).getIds();
        if (ids.length != 1) {
            throw new IllegalArgumentException(
                    "token must be one token of the vocabulary, got \""
                            + token
                            + "\" which encodes to "
                            + Arrays.toString(ids));
        }
        return ids[0];
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
