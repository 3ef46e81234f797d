package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

class RandomnessTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Two normal draws with a pause between them, inside one seeded call. */
    private float[] seededDraws(int seed) {
        return Randomness.draw(
                seed,
                () -> {
                    float[] a = Randomness.normal(manager, new Shape(64), DataType.FLOAT32).toFloatArray();
                    Thread.yield();
                    float[] b = Randomness.normal(manager, new Shape(64), DataType.FLOAT32).toFloatArray();
                    float[] out = new float[128];
                    System.arraycopy(a, 0, out, 0, 64);
                    System.arraycopy(b, 0, out, 64, 64);
                    return out;
                });
    }

    @Test
    void theSameSeedGivesTheSameDrawsAndAnotherSeedOthers() {
        float[] first = seededDraws(7);
        manager.randomNormal(new Shape(10)); // an unseeded draw in between moves the generator
        assertThat(seededDraws(7)).containsExactly(first);
        assertThat(seededDraws(8)).isNotEqualTo(first);
    }

    @Test
    void otherThreadsDrawingInBetweenDoNotChangeASeededResult() throws InterruptedException {
        float[] expected = seededDraws(11);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger otherDraws = new AtomicInteger();
        Thread other =
                new Thread(
                        () -> {
                            try (NDManager m = NDManager.newBaseManager()) {
                                while (!stop.get()) {
                                    // straight from libtorch's generator, as user code does
                                    m.randomUniform(0, 1, new Shape(32)).close();
                                    Randomness.draw(
                                                    null,
                                                    () ->
                                                            Randomness.uniform(
                                                                    m,
                                                                    0,
                                                                    1,
                                                                    new Shape(32),
                                                                    DataType.FLOAT32))
                                            .close();
                                    otherDraws.incrementAndGet();
                                }
                            }
                        });
        other.start();
        try {
            for (int i = 0; i < 20; i++) {
                assertThat(seededDraws(11)).containsExactly(expected);
            }
        } finally {
            stop.set(true);
            other.join();
        }
        assertThat(otherDraws.get()).isPositive();
    }

    @Test
    void theJavaGeneratorFollowsTheCallsSeed() {
        long a = Randomness.draw(3, () -> Randomness.javaGenerator(manager).nextLong());
        long b = Randomness.draw(3, () -> Randomness.javaGenerator(manager).nextLong());
        long c = Randomness.draw(4, () -> Randomness.javaGenerator(manager).nextLong());
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void derivedSeedsAreDeterministicNonNegativeAndDistinctPerStream() {
        assertThat(Randomness.derive(null, 3)).isNull();
        Set<Integer> seen = new HashSet<>();
        SplittableRandom parents = new SplittableRandom(0);
        for (int p = 0; p < 20; p++) {
            int parent = parents.nextInt();
            for (int stream = 0; stream < 50; stream++) {
                Integer d = Randomness.derive(parent, stream);
                assertThat(d).isNotNull().isNotNegative();
                assertThat(Randomness.derive(parent, stream)).isEqualTo(d);
                seen.add(d);
            }
        }
        assertThat(seen).hasSize(20 * 50);
    }

    /**
     * A seeded call neither seeds nor advances libtorch's process-wide generator: the caller's own
     * draws are those it would get without the call (issue 19 item 7; before, every seeded call
     * re-seeded the JVM-wide generator).
     */
    @Test
    void aSeededDrawLeavesTheCallersRandomStateAlone() {
        Engine.getInstance().setRandomSeed(99);
        float[] expected = manager.randomNormal(new Shape(32)).toFloatArray();
        Engine.getInstance().setRandomSeed(99);
        seededDraws(5);
        Randomness.draw(null, () -> Randomness.normal(manager, new Shape(8), DataType.FLOAT32));
        assertThat(manager.randomNormal(new Shape(32)).toFloatArray()).containsExactly(expected);
    }

    /** A seed gives libtorch's numbers for that seed (uniforms bit for bit). */
    @Test
    void aSeedGivesTorchManualSeedsUniforms() {
        Engine.getInstance().setRandomSeed(1234);
        float[] torch = manager.randomUniform(0, 1, new Shape(40)).toFloatArray();
        float[] ours =
                Randomness.draw(
                        1234,
                        () ->
                                Randomness.uniform(
                                                manager, 0, 1, new Shape(40), DataType.FLOAT32)
                                        .toFloatArray());
        assertThat(ours).containsExactly(torch);
    }

    @Test
    void shuffledRangeSwapsFromTheLastElementDownSoSeededOrdersNeverChange() {
        // the order DefaultClassifier's split and epochs depend on: element i swaps with
        // nextInt(i + 1), i = n-1 .. 1
        SplittableRandom reference = new SplittableRandom(11);
        int[] expected = {0, 1, 2, 3, 4, 5, 6};
        for (int i = expected.length - 1; i > 0; i--) {
            int j = reference.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertThat(Randomness.shuffledRange(7, new SplittableRandom(11))).containsExactly(expected);
        assertThat(Randomness.shuffledRange(7, new SplittableRandom(11)))
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        int[] rows = {10, 20, 30};
        SplittableRandom r = new SplittableRandom(3);
        int[] order = Randomness.shuffledRange(3, new SplittableRandom(3));
        Randomness.shuffle(rows, r);
        assertThat(rows).containsExactly(10 * (order[0] + 1), 10 * (order[1] + 1), 10 * (order[2] + 1));
        assertThat(Randomness.shuffledRange(0, new SplittableRandom(1))).isEmpty();
    }
}
