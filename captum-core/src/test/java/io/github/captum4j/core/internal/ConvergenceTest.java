package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

class ConvergenceTest {

    private static final float[] W1 = {0.5f, -1f, 2f};
    private static final float[] W2 = {3f, -0.25f};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * F(x1, x2; c) = [x1·w1 + x2·w2 + c, 0]: linear, so (x - x') ⊙ w is exact and the additive
     * per-example argument c cancels in F(x) - F(x').
     */
    private ForwardFunction model() {
        return (inputs, args) -> {
            NDManager m = inputs.get(0).getManager();
            NDArray y =
                    inputs.get(0)
                            .matMul(m.create(W1, new Shape(3, 1)))
                            .add(inputs.get(1).matMul(m.create(W2, new Shape(2, 1))))
                            .add(((NDArray) args.get(0)).reshape(-1, 1));
            return y.concat(y.zerosLike(), 1);
        };
    }

    @Test
    void exactAttributionsOfALinearModelHaveZeroDelta() {
        NDArray x1 = manager.create(new float[] {1, 2, 3, -1, 0, 4}, new Shape(2, 3));
        NDArray x2 = manager.create(new float[] {2, 2, -3, 1}, new Shape(2, 2));
        NDArray b1 = manager.create(new float[] {0.5f, 0, 1, 1, 1, 1}, new Shape(2, 3));
        NDArray b2 = manager.zeros(new Shape(2, 2));
        NDArray c = manager.create(new float[] {10, -20});
        NDList attributions =
                new NDList(
                        x1.sub(b1).mul(manager.create(W1)), x2.sub(b2).mul(manager.create(W2)));
        NDArray delta =
                Convergence.delta(
                        model(),
                        attributions,
                        new NDList(x1, x2),
                        new NDList(b1, b2),
                        List.of(c),
                        Target.index(0));
        assertThat(delta.getShape()).isEqualTo(new Shape(2));
        assertThat(delta.toFloatArray()).containsExactly(new float[] {0, 0}, within(1e-5f));
    }

    @Test
    void theDeltaIsTheSumOfAttributionsMinusTheOutputDifferencePerExample() {
        NDArray x1 = manager.create(new float[] {1, 2, 3, -1, 0, 4}, new Shape(2, 3));
        NDArray x2 = manager.create(new float[] {2, 2, -3, 1}, new Shape(2, 2));
        NDArray b1 = manager.zeros(new Shape(2, 3));
        NDArray b2 = manager.zeros(new Shape(2, 2));
        // attributions off by +1.5 for example 0 and -4 for example 1, spread over both inputs
        NDList attributions =
                new NDList(
                        x1.mul(manager.create(W1))
                                .add(manager.create(new float[] {1.5f, -4}).reshape(2, 1).div(3)),
                        x2.mul(manager.create(W2)));
        NDArray delta =
                Convergence.delta(
                        model(),
                        attributions,
                        new NDList(x1, x2),
                        new NDList(b1, b2),
                        List.of(manager.create(new float[] {1, 1})),
                        Target.index(0));
        assertThat(delta.toFloatArray()).containsExactly(new float[] {1.5f, -4}, within(1e-5f));
    }

    @Test
    void sumPerExampleAddsEveryElementOfEveryInput() {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 2, 2));
        NDArray b = manager.create(new float[] {10, 20}, new Shape(2, 1));
        assertThat(Convergence.sumPerExample(new NDList(a, b)).toFloatArray())
                .containsExactly(20, 46);
    }
}
