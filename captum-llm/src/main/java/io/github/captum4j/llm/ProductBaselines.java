package io.github.captum4j.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Baselines drawn uniformly from the Cartesian product of per-value choices (Captum's {@code
 * ProductBaselines}): each call returns one replacement per value, each drawn independently from
 * that value's list. Used as the baselines of a {@link TextTemplateInput}, so an absent value is
 * replaced by a plausible alternative instead of being removed.
 *
 * <pre>{@code
 * ProductBaselines baselines = new ProductBaselines(
 *         List.of(List.of("a", "the"), List.of("dog", "bird", "fish")), 0);
 * new TextTemplateInput("{} {} sat", List.of("the", "cat"), baselines, null);
 * }</pre>
 */
public final class ProductBaselines implements Supplier<List<String>> {

    private final List<List<String>> choices;
    private final SplittableRandom random;

    /**
     * Baselines over per-value choices.
     *
     * @param choices per value, at least one candidate replacement
     * @param seed the seed of the draws
     * @throws IllegalArgumentException if a value has no candidate
     */
    public ProductBaselines(List<List<String>> choices, long seed) {
        if (choices == null || choices.isEmpty()) {
            throw new IllegalArgumentException(
                    "choices must hold one list per value, got " + choices);
        }
        List<List<String>> copy = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            List<String> c = choices.get(i);
            if (c == null || c.isEmpty()) {
                throw new IllegalArgumentException(
                        "choices[" + i + "] must hold at least one baseline, got " + c);
            }
            copy.add(List.copyOf(c));
        }
        this.choices = List.copyOf(copy);
        this.random = new SplittableRandom(seed);
    }

    /**
     * Draws one baseline per value.
     *
     * @return the baselines
     */
    @Override
    public synchronized List<String> get() {
        List<String> out = new ArrayList<>(choices.size());
        for (List<String> c : choices) {
            out.add(c.get(random.nextInt(c.size())));
        }
        return out;
    }
}
