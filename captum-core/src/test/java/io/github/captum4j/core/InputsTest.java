package io.github.captum4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.internal.BaselineExpansion;

import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void inputsMustShareTheBatchSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(4, 3));
            NDArray b = m.zeros(new Shape(2, 3));
            assertThatThrownBy(() -> Inputs.of(a, b))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "inputs[1] batch size (dimension 0) must equal inputs[0]'s 4, got shape"
                                    + " (2, 3)");
            assertThatThrownBy(() -> Inputs.of(new NDList()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs must hold at least one tensor, got none");
            assertThatThrownBy(() -> Inputs.of(m.zeros(new Shape(0, 3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs[0] must hold at least one example");
        }
    }

    @Test
    void additionalArgsOfUnknownKindAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = Inputs.of(m.zeros(new Shape(1, 2)));
            assertThat(in.withAdditionalArgs(1, true, null).additionalArgs())
                    .containsExactly(1, true, null);
            assertThatThrownBy(() -> in.withAdditionalArgs("text"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("additionalArgs[0] must be an NDArray");
        }
    }

    @Test
    void baselinesAreExpandedToInputShapesOrRejectedWithBothShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList x = new NDList(m.ones(new Shape(2, 3)), m.ones(new Shape(2, 4)));
            NDList full =
                    BaselineExpansion.expand(
                            Baselines.perInput(0.5, m.zeros(new Shape(1, 4))), x, m);
            assertThat(full.get(0).toFloatArray()).containsOnly(0.5f);
            assertThat(full.get(1).getShape()).isEqualTo(new Shape(2, 4));
            assertThatThrownBy(
                            () ->
                                    BaselineExpansion.expand(
                                            Baselines.tensors(
                                                    m.zeros(new Shape(2, 3)),
                                                    m.zeros(new Shape(2, 5))),
                                            x,
                                            m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "baselines[1] shape (2, 5) does not match inputs[1] shape (2, 4)"
                                    + " (expected the same shape, batch size 1, or one example's"
                                    + " shape (4,))");
            assertThat(BaselineExpansion.expand(Baselines.scalar(1), x, m).get(1).toFloatArray())
                    .containsOnly(1f);
            assertThatThrownBy(
                            () ->
                                    BaselineExpansion.expand(
                                            Baselines.tensors(m.zeros(new Shape(2, 3))), x, m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("baselines must hold one value per input (2), got 1");
        }
    }
}
