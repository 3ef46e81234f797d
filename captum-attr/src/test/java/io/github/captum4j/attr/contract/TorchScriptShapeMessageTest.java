package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;

/**
 * A TorchScript module's own shape error, raised inside an attribution call, quotes the caller's
 * input shape, not the steps the path method expanded it to (issue 19 item 11, issue 21 item 8).
 */
class TorchScriptShapeMessageTest {

    @Test
    void aWrongShapeInsideIntegratedGradientsQuotesTheCallersShape() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                TorchScriptModel toy = TorchScriptModel.load(TestModels.model("toy.pt"))) {
            IntegratedGradients ig = new IntegratedGradients(toy.forwardFunction());
            Inputs wrong = Inputs.of(manager.ones(new Shape(2, 5))); // toy takes (N, 3)
            assertThatThrownBy(() -> ig.attribute(wrong, Target.index(0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs of shape (2, 5)")
                    .hasMessageContaining("(N, ...)")
                    .hasMessageNotContaining("(100, 5)");
        }
    }
}
