package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one place random numbers are drawn. Every {@link #draw} runs with its own generator, a Java
 * copy of libtorch's CPU generator ({@link TorchRandom}): a seed gives the numbers {@code
 * torch.manual_seed(seed)} followed by the same draws gives in Python (uniform, integer and
 * permutation draws bit for bit; normal draws see {@link TorchRandom}), yet libtorch's
 * process-wide generator is never seeded nor read. So a seeded result does not depend on what other
 * threads draw meanwhile, and a seeded call leaves the caller's own random state untouched.
 *
 * <p>An unseeded {@code draw} gets a generator seeded from a JVM-wide sequence. Draws nested in
 * another {@code draw} continue its generator when unseeded (as Python code continues the global
 * generator) and use their own when seeded. The drawing helpers ({@link #normal}, {@link
 * #uniform}, {@link #integers}, {@link #permutation}, {@link #javaGenerator}) read the current
 * thread's generator, or a fresh unseeded one outside any {@code draw}.
 *
 * <p>Samplers that draw many small discrete values (coalitions, permutations of a few features) use
 * a Java generator seeded by one 63-bit draw ({@link #javaGenerator}), so they follow the same
 * seed.
 *
 * <p>Not API: may change without notice.
 */
public final class Randomness {

    private static final ThreadLocal<TorchRandom> CURRENT = new ThreadLocal<>();
    private static final AtomicLong UNSEEDED = new AtomicLong(System.nanoTime() ^ 0x5DEECE66DL);

    private Randomness() {}

    /**
     * Runs {@code draws} with the call's generator: a fresh one seeded with {@code seed}, or when
     * {@code seed} is null the enclosing draw's (or a fresh unseeded one).
     *
     * @param seed the seed, or {@code null}
     * @param draws the code that draws the random tensors
     * @param <T> the result type
     * @return what {@code draws} returned
     */
    public static <T> T draw(Integer seed, Supplier<T> draws) {
        TorchRandom outer = CURRENT.get();
        if (seed == null && outer != null) {
            return draws.get();
        }
        CURRENT.set(seed != null ? new TorchRandom(seed) : unseeded());
        try {
            return draws.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    private static TorchRandom current() {
        TorchRandom r = CURRENT.get();
        return r != null ? r : unseeded();
    }

    private static TorchRandom unseeded() {
        long s = UNSEEDED.addAndGet(0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        return new TorchRandom(s ^ (s >>> 31));
    }

    /**
     * Standard normal values, as {@code torch.randn(shape, dtype)}.
     *
     * @param manager where the array goes
     * @param shape the shape
     * @param type a floating-point type
     * @return the array
     */
    public static NDArray normal(NDManager manager, Shape shape, DataType type) {
        return normal(manager, 0f, 1f, shape, type);
    }

    /**
     * Normal values, as {@code torch.normal(mean, std, shape)}.
     *
     * @param manager where the array goes
     * @param mean the mean
     * @param std the standard deviation
     * @param shape the shape
     * @param type a floating-point type
     * @return the array
     */
    public static NDArray normal(
            NDManager manager, float mean, float std, Shape shape, DataType type) {
        int n = Sizes.elements("shape", shape.getShape());
        if (type == DataType.FLOAT64) {
            double[] v = new double[n];
            current().normal(v);
            for (int i = 0; i < n; i++) {
                v[i] = v[i] * std + mean;
            }
            return manager.create(v, shape);
        }
        float[] v = new float[n];
        current().normal(v);
        if (mean != 0f || std != 1f) {
            for (int i = 0; i < n; i++) {
                v[i] = Math.fma(v[i], std, mean);
            }
        }
        return cast(manager.create(v, shape), type);
    }

    /**
     * Uniform values in {@code [from, to)}, as {@code torch.empty(shape).uniform_(from, to)}.
     *
     * @param manager where the array goes
     * @param from lower bound
     * @param to upper bound
     * @param shape the shape
     * @param type a floating-point type
     * @return the array
     */
    public static NDArray uniform(
            NDManager manager, float from, float to, Shape shape, DataType type) {
        int n = Sizes.elements("shape", shape.getShape());
        TorchRandom r = current();
        if (type == DataType.FLOAT64) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.uniformDouble(from, to);
            }
            return manager.create(v, shape);
        }
        float[] v = new float[n];
        r.uniform(v, from, to);
        return cast(manager.create(v, shape), type);
    }

    /**
     * Integers in {@code [low, high)}, as {@code torch.randint(low, high, shape)} (int64).
     *
     * @param manager where the array goes
     * @param low inclusive lower bound
     * @param high exclusive upper bound
     * @param shape the shape
     * @return the array
     */
    public static NDArray integers(NDManager manager, long low, long high, Shape shape) {
        Checks.argument(high > low, "high must be above low, got [%s, %s)", low, high);
        long[] v = new long[Sizes.elements("shape", shape.getShape())];
        TorchRandom r = current();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.integer(low, high);
        }
        return manager.create(v, shape);
    }

    /**
     * A permutation of {@code 0..n-1}, as {@code torch.randperm(n)}.
     *
     * @param n the size
     * @return the permutation
     */
    public static long[] permutation(int n) {
        return current().permutation(n);
    }

    /**
     * The indices {@code 0..n-1} in an order drawn from a Java generator: {@link #shuffle} of the
     * identity.
     *
     * @param n the size
     * @param random the generator
     * @return a permutation of {@code 0..n-1}
     */
    public static int[] shuffledRange(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    /**
     * Shuffles an array in place (Fisher-Yates from the last element down: element {@code i} is
     * swapped with {@code random.nextInt(i + 1)}), so a seeded generator gives the same order on
     * every run.
     *
     * @param a the array
     * @param random the generator
     */
    public static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A Java generator seeded by one 63-bit draw ({@code randint(0, 2^63 - 1)}); call it inside
     * {@link #draw}, so that it follows the call's seed.
     *
     * @param manager unused, kept for the callers' convenience
     * @return a fresh generator
     */
    public static SplittableRandom javaGenerator(NDManager manager) {
        return new SplittableRandom(current().integer(0, Long.MAX_VALUE));
    }

    private static NDArray cast(NDArray a, DataType type) {
        if (type == null || type == DataType.FLOAT32) {
            return a;
        }
        NDArray c = a.toType(type, false);
        a.close();
        return c;
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
