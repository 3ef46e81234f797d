package io.github.captum4j.examples;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.llm.Tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code llm} demo's synthetic language. A prompt holds {@value #FEATURES} content tokens:
 * {@value #KEYS_PER_PROMPT} distinct keys {@code k*} and distractors {@code d*} in random order,
 * and the marker {@code q} right before one of the keys; the answer is the value {@code v*} that
 * a fixed mapping assigns to the marked key, e.g. {@code <bos> k3 d9 q k5 d0 k1 d12 ->} answers
 * {@code v2} because {@code k5 -> v2}. Exactly one prompt token decides the answer; the other keys
 * are distractors of the same kind, so the model must use order (which key follows {@code q}),
 * which a bag of embeddings cannot. A distractor slot holds {@code <pad>} with probability 1/8, so
 * the ablation baseline {@code <pad>} is part of the language.
 */
final class LlmDemoTask {

    static final int KEYS = 8;
    static final int DISTRACTORS = 16;
    static final int FEATURES = 6;
    static final int KEYS_PER_PROMPT = 3;
    /** Tokens per prompt: {@code <bos>}, the features, {@code q}, {@code ->}. */
    static final int LENGTH = FEATURES + 3;
    /** The key -> value mapping (a fixed permutation). */
    private static final int[] MAPPING = {2, 7, 0, 5, 1, 6, 3, 4};

    static final WordTokenizer TOKENIZER = new WordTokenizer();

    private LlmDemoTask() {}

    /** The demo's word-level tokenizer (any {@link Tokenizer} plugs in). */
    static final class WordTokenizer implements Tokenizer {
        private final List<String> vocab = new ArrayList<>();
        private final Map<String, Long> ids = new LinkedHashMap<>();

        private WordTokenizer() {
            for (String t : List.of("<pad>", "<bos>", "->", "q")) {
                add(t);
            }
            for (String prefix : List.of("k", "v")) {
                for (int i = 0; i < KEYS; i++) {
                    add(prefix + i);
                }
            }
            for (int i = 0; i < DISTRACTORS; i++) {
                add("d" + i);
            }
        }

        private void add(String t) {
            ids.put(t, (long) vocab.size());
            vocab.add(t);
        }

        int size() {
            return vocab.size();
        }

        List<String> vocabulary() {
            return List.copyOf(vocab);
        }

        @Override
        public long[] encode(String text, boolean addSpecialTokens) {
            List<Long> out = new ArrayList<>();
            if (addSpecialTokens) {
                out.add(ids.get("<bos>"));
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

    /**
     * One prompt.
     *
     * @param text the prompt without {@code <bos>}
     * @param keyFeature the index of the deciding key among the prompt's features
     * @param answer the answer's token id
     */
    record Prompt(String text, int keyFeature, long answer) {}

    /** A random prompt. */
    static Prompt prompt(SplittableRandom random) {
        int[] slots = new int[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            slots[i] = i;
        }
        for (int i = FEATURES - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
        }
        String[] words = new String[FEATURES];
        int[] keys = new int[KEYS_PER_PROMPT];
        for (int i = 0; i < KEYS_PER_PROMPT; i++) {
            boolean fresh;
            do {
                keys[i] = random.nextInt(KEYS);
                fresh = true;
                for (int j = 0; j < i; j++) {
                    fresh &= keys[j] != keys[i];
                }
            } while (!fresh);
            words[slots[i]] = "k" + keys[i];
        }
        for (int i = KEYS_PER_PROMPT; i < FEATURES; i++) {
            words[slots[i]] = random.nextInt(8) == 0 ? "<pad>" : "d" + random.nextInt(DISTRACTORS);
        }
        int marked = random.nextInt(KEYS_PER_PROMPT);
        int at = slots[marked];
        StringBuilder s = new StringBuilder();
        for (int f = 0; f < FEATURES; f++) {
            s.append(f == at ? "q " : "").append(words[f]).append(' ');
        }
        s.append("->");
        long answer = TOKENIZER.tokenToId("v" + MAPPING[keys[marked]]);
        return new Prompt(s.toString(), at, answer);
    }

    /** {@code count} prompts from a seed. */
    static List<Prompt> prompts(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prompt(random));
        }
        return out;
    }

    /** A training batch: ids {@code (size, LENGTH)} int64 and answers {@code (size)} int64. */
    static NDList batch(NDManager m, SplittableRandom random, int size) {
        long[] ids = new long[size * LENGTH];
        long[] answers = new long[size];
        for (int b = 0; b < size; b++) {
            Prompt p = prompt(random);
            System.arraycopy(TOKENIZER.encode(p.text(), true), 0, ids, b * LENGTH, LENGTH);
            answers[b] = p.answer();
        }
        return new NDList(m.create(ids, new Shape(size, LENGTH)), m.create(answers));
    }
}
