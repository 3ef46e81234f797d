package io.github.captum4j.core.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The one place random numbers are drawn: through libtorch's generator (so that a seed gives the
 * same numbers as {@code torch.manual_seed(seed)} followed by the same draws in Python), under one
 * JVM-wide lock so that a seeded call's draws are not interleaved with another thread's.
 *
 * <p>A non-null seed re-seeds libtorch's global generator, as {@code torch.manual_seed} does in the
 * Python reference; a null seed draws from the generator's current state.
 *
 * <p>Samplers that draw many small discrete values (coalitions, permutations of a few features) use
 * a Java generator instead, seeded by one draw from libtorch's generator ({@link #javaGenerator}):
 * they stay reproducible under the same seed, and a few thousand scalar draws do not pay a JNI call
 * each.
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
     * A Java generator seeded by one 63-bit draw from libtorch's generator; call it inside {@link
     * #draw}, so that it follows the call's seed (or the global generator's state when unseeded).
     *
     * @param manager where the draw's scratch tensor goes
     * @return a fresh generator
     */
    public static SplittableRandom javaGenerator(NDManager manager) {
        try (NDArray bits =
                manager.randomInteger(0, Long.MAX_VALUE, new Shape(1), DataType.INT64)) {
            return new SplittableRandom(bits.getLong());
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
