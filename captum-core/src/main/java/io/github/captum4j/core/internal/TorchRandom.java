package io.github.captum4j.core.internal;

import java.util.function.IntConsumer;

/**
 * libtorch's CPU random generator written out in Java: the 32-bit Mersenne Twister ({@code
 * mt19937}) seeded as {@code torch.manual_seed} seeds it, and the transforms libtorch's CPU kernels
 * apply to its words, so that a seed gives the numbers {@code torch.manual_seed(seed)} followed by
 * the same draws gives in Python, without touching libtorch's process-wide generator.
 *
 * <ul>
 *   <li>{@code uniform_(from, to)} in float32: 24 bits of one word, {@code (w & (2^24-1)) * 2^-24 *
 *       (to - from) + from} in float arithmetic (float64: 53 bits of two words, in double);
 *   <li>{@code normal_} of a contiguous float32 tensor with at least 16 elements ({@code
 *       normal_fill}): all elements drawn uniform first, then Box-Muller in float on blocks of 16
 *       (element {@code j} and {@code j + 8} of each block from {@code u1 = 1 - d[j]}, {@code u2 =
 *       d[j + 8]}), the last {@code n % 16} elements by redrawing and transforming the final 16;
 *   <li>{@code normal_} of fewer than 16 elements: the double Box-Muller with a cached second value
 *       ({@code normal_distribution<double>}), then cast to the tensor's type;
 *   <li>{@code randint(low, high)}: one word ({@code high - low < 2^32}) or two, modulo the range;
 *   <li>{@code randperm(n)}: the swap loop {@code z = word % (n - i)}.
 * </ul>
 *
 * <p>Bit-equality with libtorch holds where both compute the same IEEE operations: the Mersenne
 * Twister, the uniform, integer and permutation draws are exact integer / exactly rounded
 * arithmetic. The normal draws call {@code log}, {@code cos}, {@code sin}: Java's {@link
 * StrictMath} and the C library libtorch links may round a result differently in the last place
 * (rare), and libtorch's AVX2 build of {@code normal_fill} uses vectorised approximations, so
 * normal draws are guaranteed to be reproducible in Java (same seed, same numbers, on every
 * machine) and equal libtorch's to the last bit in the cases {@code TorchRandomTest} checks, within
 * a few float ulps in general.
 *
 * <p>Not thread-safe: one instance per call. Not API: may change without notice.
 */
public final class TorchRandom {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;
    private double nextDoubleNormal;
    private boolean hasNextDoubleNormal;

    /**
     * A generator in the state {@code torch.manual_seed(seed)} leaves libtorch's CPU generator.
     *
     * @param seed the seed (libtorch keeps its low 32 bits for the twister)
     */
    public TorchRandom(long seed) {
        mt[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            mt[j] = 1812433253 * (mt[j - 1] ^ (mt[j - 1] >>> 30)) + j;
        }
        index = N;
    }

    /**
     * The next 32-bit word ({@code CPUGeneratorImpl::random}).
     *
     * @return the word, as an unsigned value in a long
     */
    public long nextWord() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /**
     * The next 64-bit value ({@code CPUGeneratorImpl::random64}): the first word high, the second
     * low.
     *
     * @return the value
     */
    public long nextLong() {
        long hi = nextWord();
        long lo = nextWord();
        return hi << 32 | lo;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER) | (mt[(i + 1) % N] & LOWER);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            mt[i] = (y & 1) == 0 ? v : v ^ MATRIX_A;
        }
        index = 0;
    }

    /**
     * A float32 uniform draw in {@code [from, to)}, as {@code uniform_} of a float tensor.
     *
     * @param from lower bound
     * @param to upper bound
     * @return the value
     */
    public float uniformFloat(float from, float to) {
        float x = (nextWord() & 0xffffff) * (1.0f / (1 << 24));
        return Math.fma(x, to - from, from); // libtorch's build contracts x * (to - from) + from

    }

    /**
     * A float64 uniform draw in {@code [from, to)}, as {@code uniform_} of a double tensor.
     *
     * @param from lower bound
     * @param to upper bound
     * @return the value
     */
    public double uniformDouble(double from, double to) {
        double x = (nextLong() & ((1L << 53) - 1)) * (1.0 / (1L << 53));
        return x * (to - from) + from;
    }

    /**
     * Fills {@code out} as {@code torch.rand} / {@code uniform_(from, to)} of a float32 tensor.
     *
     * @param out the values
     * @param from lower bound
     * @param to upper bound
     */
    public void uniform(float[] out, float from, float to) {
        for (int i = 0; i < out.length; i++) {
            out[i] = uniformFloat(from, to);
        }
    }

    /**
     * Fills {@code out} as {@code torch.randn} / {@code normal_(0, 1)} of a contiguous float32
     * tensor with {@code out.length} elements.
     *
     * @param out the values
     */
    public void normal(float[] out) {
        normalFill(
                out.length,
                i -> out[i] = (float) normalDouble(),
                i -> out[i] = uniformFloat(0f, 1f),
                at -> boxMuller16(out, at));
    }

    /**
     * Fills {@code out} as {@code normal_(0, 1)} of a contiguous float64 tensor.
     *
     * @param out the values
     */
    public void normal(double[] out) {
        normalFill(
                out.length,
                i -> out[i] = normalDouble(),
                i -> out[i] = uniformDouble(0, 1),
                at -> boxMuller16(out, at));
    }

    /**
     * libtorch's {@code normal_fill} order of draws for a contiguous tensor of {@code n} elements:
     * below 16 elements one scalar normal draw each; otherwise a uniform for every element, the
     * Box-Muller transform of each full block of 16, and, when {@code n} is not a multiple of 16,
     * the last 16 elements redrawn as uniforms and transformed again.
     *
     * @param n the number of elements
     * @param scalarNormal sets element i to one scalar normal draw
     * @param uniform sets element i to one uniform draw in {@code [0, 1)}
     * @param boxMuller16 transforms the 16 elements starting at the given index
     */
    private static void normalFill(
            int n, IntConsumer scalarNormal, IntConsumer uniform, IntConsumer boxMuller16) {
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                scalarNormal.accept(i);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            uniform.accept(i);
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            boxMuller16.accept(i);
        }
        if (n % 16 != 0) {
            int start = n - 16;
            for (int i = 0; i < 16; i++) {
                uniform.accept(start + i);
            }
            boxMuller16.accept(start);
        }
    }

    /** {@code normal_fill_16} in float: float operations, each rounded as libtorch's. */
    private static void boxMuller16(float[] d, int at) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - d[at + j];
            float u2 = d[at + j + 8];
            float radius = (float) Math.sqrt(-2 * (float) StrictMath.log(u1));
            float theta = (float) (2.0f * Math.PI * u2);
            d[at + j] = radius * (float) StrictMath.cos(theta);
            d[at + j + 8] = radius * (float) StrictMath.sin(theta);
        }
    }

    /** {@code normal_fill_16} in double. */
    private static void boxMuller16(double[] d, int at) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[at + j];
            double u2 = d[at + j + 8];
            double radius = Math.sqrt(-2 * StrictMath.log(u1));
            double theta = 2.0f * Math.PI * u2;
            d[at + j] = radius * StrictMath.cos(theta);
            d[at + j + 8] = radius * StrictMath.sin(theta);
        }
    }

    /**
     * One standard normal draw of {@code normal_distribution<double>}: Box-Muller on two double
     * uniforms, the sine value cached for the next call.
     *
     * @return the value
     */
    public double normalDouble() {
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            return nextDoubleNormal;
        }
        double u1 = uniformDouble(0, 1);
        double u2 = uniformDouble(0, 1);
        double r = Math.sqrt(-2.0 * StrictMath.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * StrictMath.sin(theta);
        hasNextDoubleNormal = true;
        return r * StrictMath.cos(theta);
    }

    /**
     * An integer in {@code [low, high)} as {@code torch.randint(low, high)}.
     *
     * @param low inclusive lower bound
     * @param high exclusive upper bound, above {@code low}
     * @return the value
     */
    public long integer(long low, long high) {
        long range = high - low;
        long w = Long.compareUnsigned(range, 1L << 32) >= 0 ? nextLong() : nextWord();
        return Long.remainderUnsigned(w, range) + low;
    }

    /**
     * A permutation of {@code 0..n-1} as {@code torch.randperm(n)} on the CPU.
     *
     * @param n the size
     * @return the permutation
     */
    public long[] permutation(int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (nextWord() % (n - i));
            long t = r[i];
            r[i] = r[z + i];
            r[z + i] = t;
        }
        return r;
    }
}
