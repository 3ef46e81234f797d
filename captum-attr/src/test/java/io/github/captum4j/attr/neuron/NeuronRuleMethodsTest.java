package io.github.captum4j.attr.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contracts of the rule-based neuron methods (their golden cases run in captum-conformance's
 * {@code GoldenCasesTest}).
 */
class NeuronRuleMethodsTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void aTargetIsRejected() throws Exception {
        try (ImportedModel model = ImportedModel.load(TestModels.model("small_cnn.json"), manager)) {
            NeuronDeepLift m = new NeuronDeepLift(model, LayerPath.of("conv2"));
            Inputs in =
                    Inputs.of(
                            manager.create(
                                    TestModels.gaussian(28 * 28, 5), new Shape(1, 1, 28, 28)));
            assertThatThrownBy(
                            () ->
                                    m.attribute(
                                            in,
                                            NeuronSelector.index(0, 3, 3),
                                            Target.index(1),
                                            m.defaultOptions()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target");
            assertThat(m.usesBaselines()).isTrue();
        }
    }
}
