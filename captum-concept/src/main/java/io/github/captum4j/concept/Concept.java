package io.github.captum4j.concept;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.core.internal.Checks;

/**
 * A human-meaningful concept given by examples (Captum's {@code Concept}): images of stripes, of a
 * texture, of random noise, ...
 *
 * <pre>{@code
 * Concept stripes = new Concept(0, "stripes", List.of(stripeImages)); // one batch (n, C, H, W)
 * }</pre>
 *
 * @param id a unique id (the CAV's class label and part of its cache key)
 * @param name a readable name
 * @param examples the examples as batches, each with the batch in dimension 0; iterated once per
 *     activation computation (the arrays are the caller's and are not closed)
 */
public record Concept(int id, String name, Iterable<NDArray> examples) {
    /**
     * Validates the concept.
     *
     * @param id a unique id (the CAV's class label and part of its cache key)
     * @param name a readable name
     * @param examples the examples as batches, each with the batch in dimension 0; iterated once
     *     per activation computation (the arrays are the caller's and are not closed)
     */
    public Concept {
        Checks.argument(id >= 0, "id must be >= 0, got %s", id);
        Checks.notNull(name, "name");
        Checks.notNull(examples, "examples");
    }

    /**
     * Captum's {@code identifier}: {@code "<id>-<name>"}.
     *
     * @return the identifier
     */
    public String identifier() {
        return id + "-" + name;
    }
}
