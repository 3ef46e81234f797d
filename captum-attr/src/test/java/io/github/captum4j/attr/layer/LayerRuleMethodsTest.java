package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.RuleFixture;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.layer.LayerPath;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LayerDeepLift, LayerDeepLiftShap and LayerLRP on the golden cases. */
class LayerRuleMethodsTest {

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
                "layer_deeplift_small_cnn_conv2",
                "layer_deeplift_tabular_fc2",
                "layer_deeplift_shap_tabular_fc1",
                "layer_lrp_small_cnn_conv2",
                "layer_lrp_toy_lin1_input"
            })
    void matchesCaptum(String name) {
        boolean shap = name.contains("shap");
        try (RuleFixture f = RuleFixture.load(name, manager, shap)) {
            LayerPath layer = LayerPath.of(f.c.initArgs().string("layer").orElseThrow());
            boolean delta = f.c.attributeArgs().bool("return_convergence_delta", false);
            boolean toInput = f.c.attributeArgs().bool("attribute_to_layer_input", false);
            Attribution a;
            if (f.c.method().equals("LayerLRP")) {
                a =
                        new LayerLRP(f.model, layer)
                                .attribute(
                                        f.inputs,
                                        f.c.target(),
                                        new LayerLRP.Options(delta, toInput));
            } else {
                LayerDeepLift.Options o = new LayerDeepLift.Options(delta, toInput);
                a =
                        shap
                                ? new LayerDeepLiftShap(f.model, layer)
                                        .attribute(f.inputs, f.c.target(), o)
                                : new LayerDeepLift(f.model, layer)
                                        .attribute(f.inputs, f.c.target(), o);
            }
            try (a) {
                if (!delta) {
                    f.c.json().getAsJsonObject("expected").remove("delta");
                }
                f.assertMatches(a, manager);
            }
        }
    }
}
