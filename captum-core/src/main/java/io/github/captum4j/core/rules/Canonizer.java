package io.github.captum4j.core.rules;

/**
 * A reversible rewrite of a model into an equivalent form that rules handle better (Zennit's
 * canonizers), e.g. BatchNorm merged into the preceding convolution so that LRP sees one linear
 * layer ({@link Canonizers#mergeBatchNorm}). The model computes the same function while the
 * canonizer is open; {@link #close()} restores it exactly. Use it in try-with-resources, while no
 * other thread runs the model:
 *
 * <pre>{@code
 * try (Canonizer c = Canonizers.mergeBatchNorm(model, manager)) {
 *     relevance = new LRP(model.forwardFunction()).attribute(in, Target.index(3));
 * }
 * }</pre>
 */
public interface Canonizer extends AutoCloseable {

    /** Undoes the rewrite; calling it again does nothing. */
    @Override
    void close();
}
