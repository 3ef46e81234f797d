package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java generator gives libtorch's own numbers for the same seed: bit for bit for float and
 * double uniforms, randint, randperm and normals of fewer than 16 elements; normals of 16 or more
 * (libtorch's normal_fill, whose AVX2 build uses vectorised log / sincos approximations, with the
 * redrawn tail) to within 1e-5 (float) and 1e-12 (double), and bit for bit in the uniforms they
 * are made of.
 */
class TorchRandomTest {

    private static final int[] SEEDS = {0, 1, 7, 42, 123456789, Integer.MAX_VALUE};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static void seedTorch(int seed) {
        Engine.getInstance().setRandomSeed(seed);
    }

    @Test
    void floatUniformsAreLibtorchs() {
        for (int seed : SEEDS) {
            for (float[] range : new float[][] {{0f, 1f}, {-0.3f, 0.3f}, {2f, 5f}}) {
                seedTorch(seed);
                float[] expected =
                        manager.randomUniform(range[0], range[1], new Shape(1000)).toFloatArray();
                float[] got = new float[1000];
                new TorchRandom(seed).uniform(got, range[0], range[1]);
                assertThat(got).as("seed %s range %s..%s", seed, range[0], range[1])
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void floatNormalsAreLibtorchsForEverySize() {
        int[] sizes = {1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 1000, 4099};
        for (int seed : SEEDS) {
            for (int n : sizes) {
                seedTorch(seed);
                float[] expected = manager.randomNormal(new Shape(n)).toFloatArray();
                float[] got = new float[n];
                new TorchRandom(seed).normal(got);
                if (n < 16) {
                    assertThat(got).as("seed %s, %s elements", seed, n).containsExactly(expected);
                } else {
                    assertThat(got)
                            .as("seed %s, %s elements", seed, n)
                            .containsExactly(expected, within(1e-5f));
                }
            }
        }
    }

    @Test
    void doubleNormalsAndUniformsAreLibtorchs() {
        for (int seed : SEEDS) {
            for (int n : new int[] {5, 16, 37}) {
                seedTorch(seed);
                double[] expected =
                        manager.randomNormal(0, 1, new Shape(n), DataType.FLOAT64).toDoubleArray();
                double[] got = new double[n];
                new TorchRandom(seed).normal(got);
                assertThat(got)
                        .as("seed %s, %s elements", seed, n)
                        .containsExactly(expected, within(1e-12));
            }
            seedTorch(seed);
            double[] expected =
                    manager.randomUniform(0, 1, new Shape(50), DataType.FLOAT64).toDoubleArray();
            TorchRandom r = new TorchRandom(seed);
            for (double e : expected) {
                assertThat(r.uniformDouble(0, 1)).isEqualTo(e);
            }
        }
    }

    @Test
    void integersAndPermutationsAreLibtorchs() {
        for (int seed : SEEDS) {
            for (long[] range : new long[][] {{0, 10}, {-5, 1000}, {0, Long.MAX_VALUE}}) {
                seedTorch(seed);
                long[] expected =
                        manager.randomInteger(range[0], range[1], new Shape(200), DataType.INT64)
                                .toLongArray();
                TorchRandom r = new TorchRandom(seed);
                for (long e : expected) {
                    assertThat(r.integer(range[0], range[1])).isEqualTo(e);
                }
            }
            for (int n : new int[] {1, 2, 10, 257}) {
                seedTorch(seed);
                long[] expected = manager.randomPermutation(n).toLongArray();
                assertThat(new TorchRandom(seed).permutation(n)).containsExactly(expected);
            }
        }
    }
}
