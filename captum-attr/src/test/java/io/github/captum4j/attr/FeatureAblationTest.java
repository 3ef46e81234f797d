package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class FeatureAblationTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** f(x1, x2) = x1 W1 + x2 W2: ablating element e of input i gives W_i[e, t] (x_e - b_e). */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 100})
    void isExactOnALinearModelOfTwoInputs(int ppe) {
        ForwardFunction l1 = TestModels.linear(4, 2, 1);
        ForwardFunction l2 = TestModels.linear(3, 2, 2);
        ForwardFunction f =
                ForwardFunction.blackBox(
                        (x, args) ->
                                l1.forward(new NDList(x.get(0)), args)
                                        .add(l2.forward(new NDList(x.get(1)), args)));
        NDArray x1 = manager.create(TestModels.gaussian(8, 3), new Shape(2, 4));
        NDArray x2 = manager.create(TestModels.gaussian(6, 4), new Shape(2, 3));
        Inputs in = Inputs.of(x1, x2).withBaselines(Baselines.perInput(0.5, 0));
        try (Attribution a =
                new FeatureAblation(f)
                        .attribute(
                                in,
                                Target.index(1),
                                FeatureAblation.Options.builder()
                                        .perturbationsPerEval(ppe)
                                        .build())) {
            NDArrayAssert.assertThat(a.attribution(0))
                    .isCloseTo(x1.sub(0.5f).mul(weights(l1, 4)), 1e-5, 1e-5);
            NDArrayAssert.assertThat(a.attribution(1))
                    .isCloseTo(x2.mul(weights(l2, 3)), 1e-5, 1e-5);
        }
    }

    /** Captum 0.9's default: the same mask ids in two inputs are one feature; off, Captum 0.8's. */
    @Test
    void crossTensorIsTheDefaultAndTheOldBehaviourStaysAvailable() {
        ForwardFunction f =
                ForwardFunction.blackBox(
                        (x, args) -> x.get(0).sum(new int[] {1}).mul(x.get(1).sum(new int[] {1})));
        NDArray x1 = manager.create(new float[] {1, 2}, new Shape(1, 2));
        NDArray x2 = manager.create(new float[] {3, 4}, new Shape(1, 2));
        NDArray m1 = manager.create(new long[] {0, 1}, new Shape(1, 2));
        NDArray m2 = manager.create(new long[] {1, 1}, new Shape(1, 2));
        FeatureAblation.Options.Builder o = FeatureAblation.Options.builder().featureMask(m1, m2);
        try (Attribution cross = new FeatureAblation(f).attribute(Inputs.of(x1, x2), Target.none(), o.build());
                Attribution separate =
                        new FeatureAblation(f)
                                .attribute(
                                        Inputs.of(x1, x2),
                                        Target.none(),
                                        o.enableCrossTensorAttribution(false).build())) {
            // f = 3 * 7 = 21; without id 0: 2 * 7 = 14; without id 1 (in both): 1 * 0 = 0.
            NDArrayAssert.assertThat(cross.attribution(0)).isCloseTo(new double[] {7, 21}, 0, 1e-6);
            NDArrayAssert.assertThat(cross.attribution(1)).isCloseTo(new double[] {21, 21}, 0, 1e-6);
            // Separately: x1 without id 0: 2 * 7; without id 1: 1 * 7; x2 without id 1: 3 * 0.
            NDArrayAssert.assertThat(separate.attribution(0)).isCloseTo(new double[] {7, 14}, 0, 1e-6);
            NDArrayAssert.assertThat(separate.attribution(1)).isCloseTo(new double[] {21, 21}, 0, 1e-6);
        }
    }

    private NDArray weights(ForwardFunction f, int in) {
        NDArray eye = manager.eye(in);
        NDArray zero = manager.zeros(new Shape(1, in));
        return f.forward(new NDList(eye), List.of())
                .sub(f.forward(new NDList(zero), List.of()))
                .get(":, 1")
                .reshape(1, in);
    }
}
