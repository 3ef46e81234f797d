package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

class DistinctSamplesTest {

    /**
     * Every drawn sample maps to an evaluated row holding the same bytes, rows of one example are
     * distinct, and the width is the largest distinct count (bit-mask and byte-key indexes).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 63, 64, 70})
    void everySampleMapsToAnEqualDistinctRow(int f) {
        int n = 3;
        int s = 40;
        SplittableRandom r = new SplittableRandom(f);
        byte[][] pool = new byte[7][f];
        for (byte[] p : pool) {
            for (int j = 0; j < f; j++) {
                p[j] = (byte) (r.nextBoolean() ? 1 : 0);
            }
        }
        byte[] z = new byte[n * s * f];
        int width = 0;
        int[] distinct = new int[n];
        for (int e = 0; e < n; e++) {
            Set<List<Byte>> seen = new HashSet<>();
            for (int k = 0; k < s; k++) {
                byte[] p = pool[r.nextInt(3 + 2 * e)];
                System.arraycopy(p, 0, z, (e * s + k) * f, f);
                seen.add(bytes(p, 0, f));
            }
            distinct[e] = seen.size();
            width = Math.max(width, seen.size());
        }
        DistinctSamples d = DistinctSamples.of(z, n, s, f);
        assertThat(d.width).isEqualTo(width);
        for (int e = 0; e < n; e++) {
            Set<Integer> used = new HashSet<>();
            for (int k = 0; k < s; k++) {
                int row = d.row[e * s + k];
                used.add(row);
                assertThat(bytes(d.evaluated, (row * n + e) * f, f))
                        .isEqualTo(bytes(z, (e * s + k) * f, f));
            }
            assertThat(used).hasSize(distinct[e]);
        }
        float[] values = new float[d.width * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        float[] spread = d.spread(values, n, s);
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < s; k++) {
                assertThat(spread[k * n + e]).isEqualTo(d.row[e * s + k] * n + e);
            }
        }
    }

    private static List<Byte> bytes(byte[] a, int offset, int length) {
        Byte[] out = new Byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = a[offset + i];
        }
        return Arrays.asList(out);
    }
}
