package io.github.captum4j.attr;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The distinct interpretable samples of each example, which are all {@link Lime} needs to evaluate:
 * a model is a function, so a coalition drawn twice has one output, and the surrogate is fitted on
 * every drawn sample with the outputs of its distinct copy (the same fit as evaluating each copy).
 * KernelShap's kernel draws small and large coalitions often: 200 samples of 10 features hold about
 * 130 distinct ones per example.
 *
 * <p>Evaluated rows are laid out {@code (W, N, F)}, {@code W} the largest number of distinct
 * samples of an example; an example with fewer repeats its first sample in the remaining rows.
 */
final class DistinctSamples {

    /** Rows per example that are evaluated: the largest number of distinct samples. */
    final int width;

    /** For sample {@code k} of example {@code e}, at {@code e·S + k}: its evaluated row. */
    final int[] row;

    /** The evaluated samples {@code (W, N, F)}, 0/1 bytes. */
    final byte[] evaluated;

    private DistinctSamples(int width, int[] row, byte[] evaluated) {
        this.width = width;
        this.row = row;
        this.evaluated = evaluated;
    }

    /**
     * Finds the distinct samples.
     *
     * @param z samples {@code (N, S, F)}, 0/1 bytes
     * @param n examples N
     * @param s samples per example S
     * @param f features F
     * @return the distinct samples and the map back
     */
    static DistinctSamples of(byte[] z, int n, int s, int f) {
        int[] row = new int[n * s];
        int[][] firsts = new int[n][];
        int width = 0;
        Index index = f <= Long.SIZE - 1 ? new BitIndex(s) : new BufferIndex();
        for (int e = 0; e < n; e++) {
            index.reset();
            int[] first = new int[s];
            int distinct = 0;
            for (int k = 0; k < s; k++) {
                int offset = (e * s + k) * f;
                int seen = index.putIfAbsent(z, offset, f, distinct);
                if (seen < 0) {
                    first[distinct] = k;
                    row[e * s + k] = distinct++;
                } else {
                    row[e * s + k] = seen;
                }
            }
            width = Math.max(width, distinct);
            firsts[e] = Arrays.copyOf(first, distinct);
        }
        byte[] evaluated = new byte[width * n * f];
        for (int e = 0; e < n; e++) {
            int[] first = firsts[e];
            for (int u = 0; u < width; u++) {
                int k = first[u < first.length ? u : 0];
                System.arraycopy(z, (e * s + k) * f, evaluated, (u * n + e) * f, f);
            }
        }
        return new DistinctSamples(width, row, evaluated);
    }

    /**
     * Values of the evaluated rows, {@code (W, N)}, spread back to every drawn sample, {@code (S,
     * N)}.
     *
     * @param values per evaluated row and example
     * @param n examples N
     * @param s samples per example S
     * @return per drawn sample and example
     */
    float[] spread(float[] values, int n, int s) {
        float[] out = new float[s * n];
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < s; k++) {
                out[k * n + e] = values[row[e * s + k] * n + e];
            }
        }
        return out;
    }

    /** Distinct samples of one example, numbered in order of appearance. */
    private interface Index {
        void reset();

        /** The number of an equal sample seen before, or -1 after recording this one as next. */
        int putIfAbsent(byte[] z, int offset, int f, int next);
    }

    /** Samples of at most 63 features as bit masks, in an open-addressing table. */
    private static final class BitIndex implements Index {
        private final long[] keys;
        private final int[] values;
        private final int[] stamps;
        private final int mask;
        private int stamp;

        BitIndex(int samples) {
            int capacity = Integer.highestOneBit(Math.max(2, samples) * 2 - 1) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            stamps = new int[capacity];
            mask = capacity - 1;
        }

        @Override
        public void reset() {
            stamp++;
        }

        @Override
        public int putIfAbsent(byte[] z, int offset, int f, int next) {
            long key = 0;
            for (int j = 0; j < f; j++) {
                key = key << 1 | (z[offset + j] != 0 ? 1 : 0);
            }
            int h = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
            while (stamps[h] == stamp) {
                if (keys[h] == key) {
                    return values[h];
                }
                h = (h + 1) & mask;
            }
            stamps[h] = stamp;
            keys[h] = key;
            values[h] = next;
            return -1;
        }
    }

    /** Samples of any size, keyed by their bytes. */
    private static final class BufferIndex implements Index {
        private final Map<ByteBuffer, Integer> seen = new HashMap<>();

        @Override
        public void reset() {
            seen.clear();
        }

        @Override
        public int putIfAbsent(byte[] z, int offset, int f, int next) {
            Integer before = seen.putIfAbsent(ByteBuffer.wrap(z, offset, f).slice(), next);
            return before == null ? -1 : before;
        }
    }
}
