package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

class PerturbationsTest {

    private static final int IN = 6;
    private static final int OUT = 3;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray random(long seed, long... shape) {
        Shape s = new Shape(shape);
        return manager.create(TestModels.gaussian((int) s.size(), seed), s);
    }

    private Perturbations engine(NDArray x, NDArray b, int ppe, NDManager scratch) {
        ForwardFunction f = TestModels.linear(IN, OUT, 7);
        return new Perturbations(
                new NDList(x),
                new NDList(b),
                Perturbations.modelForward(f, List.of(), (int) x.getShape().get(0)),
                Target.index(1),
                ppe,
                scratch);
    }

    /** Perturbation k ablates element k mod IN, for every example. */
    private static Perturbations.ChunkSource oneElement(FeatureMask mask) {
        return (first, count, m) -> {
            NDArray keep = mask.ablationKeep(0, 0, count, m);
            if (first % IN != 0 || count > IN) {
                long[] ids = new long[count];
                for (int k = 0; k < count; k++) {
                    ids[k] = (first + k) % IN;
                }
                keep = m.create(ids).reshape(count, 1, 1).neq(mask.ids(0).expandDims(0));
            }
            return new Perturbations.Chunk(new NDList(keep));
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 6, 50})
    void outputsDoNotDependOnPerturbationsPerEval(int ppe) {
        NDArray x = random(1, 4, IN);
        NDArray b = random(2, 4, IN).mul(0.1f);
        NDArray expected;
        NDArray actual;
        try (NDManager s = manager.newSubManager()) {
            Scope.borrow(s, List.of(x, b));
            FeatureMask mask = FeatureMask.perTensor(null, new NDList(x), s);
            expected = engine(x, b, 1, s).evaluateAll(2 * IN, oneElement(mask));
            actual = engine(x, b, ppe, s).evaluateAll(2 * IN, oneElement(mask));
            NDArrayAssert.assertThat(actual).hasShape(2 * IN, 4).isCloseTo(expected, 1e-6, 1e-6);
        }
    }

    /** The unperturbed batch shares the first pass whatever the pass size (1, 4, IN, IN + 1). */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, IN, IN + 1})
    void ablationOfALinearModelIsWeightTimesDifference(int ppe) {
        NDArray x = random(3, 2, IN);
        NDArray b = random(4, 2, IN);
        ForwardFunction f = TestModels.linear(IN, OUT, 7);
        try (NDManager s = manager.newSubManager()) {
            Scope.borrow(s, List.of(x, b));
            Perturbations engine = engine(x, b, ppe, s);
            FeatureMask mask = FeatureMask.perTensor(null, new NDList(x), s);
            long[] passes = new long[1];
            engine.reportTo((task, done, total) -> passes[0] = done, "t", 0);
            NDArray attr =
                    engine.ablate(
                                    IN,
                                    (first, count, m) ->
                                            new Perturbations.Chunk(
                                                    new NDList(
                                                            mask.ablationKeep(0, first, count, m))))
                            .get(0)
                            .get(0);
            assertThat(passes[0]).isEqualTo(Perturbations.passes(IN + 1, ppe));
            NDArray eye = s.eye(IN);
            NDArray w =
                    f.forward(new NDList(eye), List.of())
                            .sub(f.forward(new NDList(s.zeros(new Shape(1, IN))), List.of()))
                            .get(":, 1");
            NDArrayAssert.assertThat(attr).isCloseTo(x.sub(b).mul(w.reshape(1, IN)), 1e-5, 1e-5);
        }
    }

    @Test
    void replacementsAndPerExampleMasksAreUsed() {
        NDArray x = random(5, 2, IN);
        NDArray b = x.zerosLike();
        try (NDManager s = manager.newSubManager()) {
            Scope.borrow(s, List.of(x, b));
            Perturbations engine = engine(x, b, 2, s);
            // Perturbation 0 keeps everything of example 0 and nothing of example 1 (-> its
            // replacement, example 0's values): both rows then equal example 0.
            NDArray out =
                    engine.evaluateAll(
                            1,
                            (first, count, m) -> {
                                NDArray keep =
                                        m.create(new boolean[] {true, false}).reshape(1, 2, 1);
                                NDArray repl = x.get("0:1").broadcast(new Shape(1, 2, IN));
                                return new Perturbations.Chunk(new NDList(keep), new NDList(repl));
                            });
            float[] v = out.toFloatArray();
            assertThat(v[1]).isEqualTo(v[0]);
        }
    }

    @Test
    void progressCountsEveryForwardPass() {
        NDArray x = random(6, 3, IN);
        List<long[]> seen = new ArrayList<>();
        try (NDManager s = manager.newSubManager()) {
            Scope.borrow(s, List.of(x));
            Perturbations engine = engine(x, x.zerosLike(), 4, s);
            engine.reportTo((task, done, total) -> seen.add(new long[] {done, total}), "t", 4);
            FeatureMask mask = FeatureMask.perTensor(null, new NDList(x), s);
            engine.evaluate(new NDList(x), 1);
            engine.evaluateAll(10, oneElement(mask));
        }
        assertThat(seen).hasSize(4);
        assertThat(seen.get(3)).containsExactly(4, 4);
    }

    @Test
    void chunksAreFreedAndOnlyResultsStay() {
        NDArray x = random(7, 2, IN);
        int before = manager.getManagedArrays().size();
        for (int r = 0; r < 20; r++) {
            try (NDManager s = manager.newSubManager()) {
                Scope.borrow(s, List.of(x));
                FeatureMask mask = FeatureMask.perTensor(null, new NDList(x), s);
                engine(x, x.zerosLike(), 3, s).evaluateAll(IN, oneElement(mask));
            }
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void anOutputWithoutOneRowPerInputRowIsRejected() {
        NDArray x = random(8, 2, IN);
        try (NDManager s = manager.newSubManager()) {
            Perturbations engine =
                    new Perturbations(
                            new NDList(x),
                            new NDList(x),
                            (rows, copies) -> rows.get(0).sum(new int[] {0}, true),
                            Target.index(0),
                            1,
                            s);
            assertThatThrownBy(() -> engine.evaluate(new NDList(x), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "one output row per input row: for a batch of 2 rows it returned"
                                    + " shape (1, 6)");
        }
        assertThat(Perturbations.passes(10, 4)).isEqualTo(3);
    }
}
