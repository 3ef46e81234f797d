package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Baselines;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BaselineExpansionTest {

    private NDManager manager;
    private NDArray x;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        x = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void zerosAndScalarsFillTheInputsShapeAndType() {
        NDArray d = manager.create(new double[] {1, 2}, new Shape(2, 1));
        NDList zeros = BaselineExpansion.expand(Baselines.zeros(), new NDList(x, d), manager);
        assertThat(zeros.get(0).getShape()).isEqualTo(x.getShape());
        assertThat(zeros.get(0).toFloatArray()).containsOnly(0f);
        assertThat(zeros.get(1).getDataType()).isEqualTo(DataType.FLOAT64);
        NDList scalar = BaselineExpansion.expand(Baselines.scalar(2.5f), new NDList(x), manager);
        assertThat(scalar.get(0).getShape()).isEqualTo(x.getShape());
        assertThat(scalar.get(0).toFloatArray()).containsOnly(2.5f);
    }

    @Test
    void aTensorOfTheInputsShapeIsUsedAndABatchOfOneIsBroadcast() {
        NDArray full = manager.create(new float[] {6, 5, 4, 3, 2, 1}, new Shape(2, 3));
        assertThat(
                        BaselineExpansion.expand(Baselines.tensors(full), new NDList(x), manager)
                                .get(0)
                                .toFloatArray())
                .containsExactly(6, 5, 4, 3, 2, 1);
        NDArray one = manager.create(new float[] {7, 8, 9}, new Shape(1, 3));
        NDArray expanded =
                BaselineExpansion.expand(Baselines.tensors(one), new NDList(x), manager).get(0);
        assertThat(expanded.getShape()).isEqualTo(new Shape(2, 3));
        assertThat(expanded.toFloatArray()).containsExactly(7, 8, 9, 7, 8, 9);
    }

    @Test
    void aTensorOfOneExamplesShapeIsBroadcastOverTheBatch() {
        NDArray example = manager.create(new float[] {7, 8, 9}, new Shape(3));
        NDArray expanded =
                BaselineExpansion.expand(Baselines.tensors(example), new NDList(x), manager).get(0);
        assertThat(expanded.getShape()).isEqualTo(new Shape(2, 3));
        assertThat(expanded.toFloatArray()).containsExactly(7, 8, 9, 7, 8, 9);
        NDList samples =
                BaselineExpansion.distribution(Baselines.tensors(example), new NDList(x), manager);
        assertThat(samples.get(0).getShape()).isEqualTo(new Shape(1, 3));
        assertThat(samples.get(0).toFloatArray()).containsExactly(7, 8, 9);
    }

    @Test
    void perturbationMethodsTakeAnyShapeThatBroadcastsToTheInputs() {
        NDArray images = manager.arange(24f).reshape(2, 3, 2, 2);
        NDArray perChannel = manager.create(new float[] {1, 2, 3}, new Shape(3, 1, 1));
        NDArray expanded =
                BaselineExpansion.expandBroadcast(
                                Baselines.tensors(perChannel), new NDList(images), manager)
                        .get(0);
        assertThat(expanded.getShape()).isEqualTo(images.getShape());
        assertThat(expanded.toFloatArray())
                .containsExactly(
                        1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        // gradient methods keep the stricter forms
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.expand(
                                        Baselines.tensors(perChannel), new NDList(images), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one example's shape (3, 2, 2)");
        // a shape that does not broadcast, or that would grow the input, is rejected
        for (Shape wrong : new Shape[] {new Shape(3, 3), new Shape(3, 2, 3, 2, 2)}) {
            assertThatThrownBy(
                            () ->
                                    BaselineExpansion.expandBroadcast(
                                            Baselines.tensors(manager.zeros(wrong)),
                                            new NDList(images),
                                            manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("broadcasts to the input's");
        }
    }

    @Test
    void perInputValuesMixNumbersAndTensorsAndTakeTheInputsType() {
        NDArray y = manager.create(new double[] {1, 2}, new Shape(2, 1));
        NDArray ints = manager.create(new int[] {3, 4}, new Shape(2, 1));
        NDList out =
                BaselineExpansion.expand(Baselines.perInput(-1f, ints), new NDList(x, y), manager);
        assertThat(out.get(0).toFloatArray()).containsOnly(-1f);
        assertThat(out.get(1).getDataType()).isEqualTo(DataType.FLOAT64);
        assertThat(out.get(1).toDoubleArray()).containsExactly(3, 4);
    }

    @Test
    void mismatchesNameTheArgumentAndTheShapes() {
        NDArray wrong = manager.zeros(new Shape(2, 4));
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.expand(
                                        Baselines.tensors(wrong), new NDList(x), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baselines[0]")
                .hasMessageContaining("(2, 4)")
                .hasMessageContaining("(2, 3)");
        NDArray threeRows = manager.zeros(new Shape(3, 3));
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.expand(
                                        Baselines.tensors(threeRows), new NDList(x), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size 1");
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.expand(
                                        Baselines.perInput(0f, 0f), new NDList(x), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one value per input (1), got 2");
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.expand(
                                        Baselines.distribution(x), new NDList(x), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distribution");
    }

    @Test
    void aDistributionKeepsItsSamplesAndNumbersBecomeOneSample() {
        NDArray samples = manager.create(new float[] {1, 1, 1, 2, 2, 2, 3, 3, 3}, new Shape(3, 3));
        NDList out =
                BaselineExpansion.distribution(
                        Baselines.distribution(samples), new NDList(x), manager);
        assertThat(out.get(0).getShape()).isEqualTo(new Shape(3, 3));
        NDList scalar =
                BaselineExpansion.distribution(Baselines.scalar(4f), new NDList(x), manager);
        assertThat(scalar.get(0).getShape()).isEqualTo(new Shape(1, 3));
        assertThat(scalar.get(0).toFloatArray()).containsOnly(4f);
        NDArray wrong = manager.zeros(new Shape(3, 2));
        assertThatThrownBy(
                        () ->
                                BaselineExpansion.distribution(
                                        Baselines.distribution(wrong), new NDList(x), manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("baselines[0]")
                .hasMessageContaining("(S, 3)");
    }

    @Test
    void onlyBaselinesZeroForEveryShapeCountAsZero() {
        assertThat(BaselineExpansion.isZero(Baselines.zeros())).isTrue();
        assertThat(BaselineExpansion.isZero(Baselines.scalar(0f))).isTrue();
        assertThat(BaselineExpansion.isZero(Baselines.perInput(0f, 0.0))).isTrue();
        assertThat(BaselineExpansion.isZero(Baselines.scalar(1e-3f))).isFalse();
        assertThat(BaselineExpansion.isZero(Baselines.perInput(0f, 1f))).isFalse();
        assertThat(BaselineExpansion.isZero(Baselines.tensors(x.zerosLike()))).isFalse();
    }
}
