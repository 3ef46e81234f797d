package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The first mistakes of a new user get one short message that says what to do. */
class NewcomerErrorsTest {

    @Test
    void importedModelLoadOnATorchScriptFileSaysToUseTorchScriptModel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> ImportedModel.load(TestModels.model("toy.pt"), manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is a TorchScript file")
                    .hasMessageContaining("TorchScriptModel.load");
        }
    }

    @Test
    void aWrongInputShapeIsOneShortLineWithTheBatchHint() {
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel toy = TorchScriptModel.load(TestModels.model("toy.pt"))) {
            NDArray wrong = manager.ones(new Shape(2, 5)); // toy takes (N, 3)
            assertThatThrownBy(() -> toy.forward(new NDList(wrong), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs of shape (2, 5)")
                    .hasMessageContaining("(N, ...)")
                    .hasNoCause()
                    .satisfies(
                            e -> {
                                assertThat(e.getMessage()).hasSizeLessThan(600);
                                assertThat(e.getMessage()).doesNotContain("Traceback", "\n");
                            });
            // the model still works
            NDArray right = manager.ones(new Shape(2, 3));
            assertThat(toy.forward(new NDList(right), List.of()).getShape())
                    .isEqualTo(new Shape(2, 2));
        }
    }
}
