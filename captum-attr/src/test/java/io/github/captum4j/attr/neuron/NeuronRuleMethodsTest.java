package io.github.captum4j.attr.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;

import io.github.captum4j.attr.RuleFixture;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule-based neuron methods on the golden cases. */
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "neuron_deeplift_small_cnn",
                "neuron_deeplift_tabular_fc2_n3",
                "neuron_deepliftshap_tabular",
                "neuron_guided_backprop_small_cnn",
                "neuron_deconvolution_small_cnn_conv2"
            })
    void matchesCaptum(String name) {
        try (RuleFixture f = RuleFixture.load(name, manager, name.contains("shap"))) {
            NeuronAttributionMethod<NeuronGradient.Options> m = method(f);
            try (Attribution a = m.attribute(f.inputs, selector(f))) {
                f.c.json().getAsJsonObject("expected").remove("delta");
                f.assertMatches(a, manager);
            }
        }
    }

    @Test
    void aTargetIsRejected() {
        try (RuleFixture f = RuleFixture.load("neuron_deeplift_small_cnn", manager, false)) {
            NeuronDeepLift m = new NeuronDeepLift(f.model, LayerPath.of("conv2"));
            assertThatThrownBy(
                            () ->
                                    m.attribute(
                                            f.inputs,
                                            NeuronSelector.index(0, 3, 3),
                                            Target.index(1),
                                            m.defaultOptions()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("target");
            assertThat(m.usesBaselines()).isTrue();
        }
    }

    private static NeuronAttributionMethod<NeuronGradient.Options> method(RuleFixture f) {
        LayerPath layer = LayerPath.of(f.c.initArgs().string("layer").orElseThrow());
        switch (f.c.method()) {
            case "NeuronDeepLift":
                return new NeuronDeepLift(f.model, layer);
            case "NeuronDeepLiftShap":
                return new NeuronDeepLiftShap(f.model, layer);
            case "NeuronGuidedBackprop":
                return new NeuronGuidedBackprop(f.model, layer);
            default:
                return new NeuronDeconvolution(f.model, layer);
        }
    }

    private static NeuronSelector selector(RuleFixture f) {
        JsonElement raw = f.c.attributeArgs().raw("neuron_selector").orElseThrow();
        if (!raw.isJsonArray()) {
            return NeuronSelector.index(raw.getAsInt());
        }
        int[] idx = new int[raw.getAsJsonArray().size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = raw.getAsJsonArray().get(i).getAsInt();
        }
        return NeuronSelector.index(idx);
    }
}
