package io.github.captum4j.core.internal;

import ai.djl.engine.Engine;

import java.util.function.Supplier;

/**
 * The one place random numbers are drawn: through libtorch's generator (so that a seed gives the
 * same numbers as {@code torch.manual_seed(seed)} followed by the same draws in Python), under one
 * JVM-wide lock so that a seeded call's draws are not interleaved with another thread's.
 *
 * <p>A non-null seed re-seeds libtorch's global generator, as {@code torch.manual_seed} does in the
 * Python reference; a null seed draws from the generator's current state.
 *
 * <p>Not API: may change without notice.
 */
public final class Randomness {

    private static final Object LOCK = new Object();

    private Randomness() {}

    /**
     * Runs {@code draws} under the lock, after seeding the generator if {@code seed} is not null.
     *
     * @param seed the seed, or {@code null}
     * @param draws the code that draws the random tensors
     * @param <T> the result type
     * @return what {@code draws} returned
     */
    public static <T> T draw(Integer seed, Supplier<T> draws) {
        synchronized (LOCK) {
            if (seed != null) {
                Engine.getInstance().setRandomSeed(seed);
            }
            return draws.get();
        }
    }

    /**
     * A seed derived from a parent seed for a nested stochastic step, or null if unseeded.
     *
     * @param seed the parent seed, or {@code null}
     * @param stream the index of the nested step
     * @return the derived seed, or {@code null}
     */
    public static Integer derive(Integer seed, int stream) {
        if (seed == null) {
            return null;
        }
        long mixed = (seed * 0x9E3779B97F4A7C15L + stream + 1) * 0xBF58476D1CE4E5B9L;
        return (int) ((mixed ^ (mixed >>> 31)) & Integer.MAX_VALUE);
    }
}
