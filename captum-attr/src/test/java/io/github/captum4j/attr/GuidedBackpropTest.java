package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.LrpRules;
import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GuidedBackprop, Deconvolution, GuidedGradCam and LRP on the golden cases and properties. */
class GuidedBackpropTest {

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
                "guidedbackprop_small_cnn",
                "guidedbackprop_tiny_resnet",
                "deconvolution_small_cnn",
                "deconvolution_tabular"
            })
    void guidedBackpropAndDeconvolutionMatchCaptum(String name) {
        try (RuleFixture f = RuleFixture.load(name, manager, false)) {
            AttributionMethod<?> m =
                    name.startsWith("guided")
                            ? new GuidedBackprop(f.model.forwardFunction())
                            : new Deconvolution(f.model.forwardFunction());
            try (Attribution a = m.attribute(f.inputs, f.c.target())) {
                f.assertMatches(a, manager);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"guided_gradcam_small_cnn_conv2", "guided_gradcam_tiny_resnet_layer4"})
    void guidedGradCamMatchesCaptum(String name) {
        try (RuleFixture f = RuleFixture.load(name, manager, false)) {
            GuidedGradCam ggc =
                    new GuidedGradCam(
                            f.model, LayerPath.of(f.c.initArgs().string("layer").orElseThrow()));
            try (Attribution a = ggc.attribute(f.inputs, f.c.target())) {
                f.assertMatches(a, manager);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lrp_toy", "lrp_tabular", "lrp_small_cnn"})
    void lrpMatchesCaptumWithItsDefaultRules(String name) {
        try (RuleFixture f = RuleFixture.load(name, manager, false)) {
            LRP lrp = new LRP(f.model.forwardFunction());
            try (Attribution a = lrp.attribute(f.inputs, f.c.target(), new LRP.Options(true))) {
                f.assertMatches(a, manager);
            }
        }
    }

    @Test
    void lrpMatchesCaptumWithPerLayerRules() {
        try (RuleFixture f = RuleFixture.load("lrp_tabular_gamma_eps", manager, false)) {
            Composite rules =
                    Composite.lrp()
                            .withLayer("fc1", LrpRules.gamma(0.25f))
                            .withLayer("fc2", LrpRules.epsilon(0.01f))
                            .withLayer("fc3", LrpRules.epsilon(1e-9f));
            try (Attribution a =
                    new LRP(f.model.forwardFunction(), rules).attribute(f.inputs, f.c.target())) {
                f.assertMatches(a, manager);
            }
        }
    }

    @Test
    void onAReluMlpDeconvolutionDoesNotDependOnTheInputButGuidedBackpropDoes() {
        try (RuleFixture f = RuleFixture.load("deconvolution_tabular", manager, false)) {
            NDArray x = f.inputs.tensors().get(0);
            Inputs flipped = Inputs.of(x.mul(-2f).add(1f));
            Target t = f.c.target();
            Deconvolution d = new Deconvolution(f.model.forwardFunction());
            GuidedBackprop g = new GuidedBackprop(f.model.forwardFunction());
            try (Attribution a = d.attribute(f.inputs, t);
                    Attribution b = d.attribute(flipped, t);
                    Attribution ga = g.attribute(f.inputs, t);
                    Attribution gb = g.attribute(flipped, t)) {
                // Linear and ReLU only: deconvolution's ReLU ignores which units are active
                NDArrayAssert.assertThat(b.attribution(0)).isCloseTo(a.attribution(0), 1e-6, 1e-9);
                assertThat(gb.attribution(0).sub(ga.attribution(0)).abs().max().getFloat())
                        .isGreaterThan(0f);
            }
        }
    }

    @Test
    void zennitStyleCompositeRunsAndKeepsShapes() {
        try (RuleFixture f = RuleFixture.load("lrp_small_cnn", manager, false)) {
            LRP lrp =
                    new LRP(f.model.forwardFunction(), Composite.epsilonGammaBox("conv1", -1f, 1f));
            try (Attribution a = lrp.attribute(f.inputs, f.c.target(), new LRP.Options(true))) {
                assertThat(a.attribution(0).getShape())
                        .isEqualTo(f.inputs.tensors().get(0).getShape());
                assertThat(a.convergenceDelta().orElseThrow().isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void methodsWithoutBaselinesRejectThem() {
        try (RuleFixture f = RuleFixture.load("guidedbackprop_small_cnn", manager, false)) {
            Inputs in = f.inputs.withBaselines(Baselines.scalar(1f));
            assertThatThrownBy(
                            () ->
                                    new GuidedBackprop(f.model.forwardFunction())
                                            .attribute(in, f.c.target()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baselines");
        }
    }
}
