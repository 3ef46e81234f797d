package io.github.captum4j.attr.layer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Golden cases of the layer methods on the imported (Block) form of the fixture models. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerFixturesTest {

    private final GoldenCases cases = new GoldenCases();

    @AfterAll
    void close() {
        cases.close();
    }

    @Test
    void readmeLayerConductanceLin1Toy() {
        cases.check(
                "readme_layer_conductance_lin1_toy",
                (mdl, l) -> new LayerConductance(mdl, l),
                LayerConductance.Options.builder().returnConvergenceDelta(true).build());
    }

    @Test
    void layerConductanceBasicLinear1() {
        cases.check(
                "layer_conductance_basic_linear1",
                (mdl, l) -> new LayerConductance(mdl, l),
                LayerConductance.Options.builder().nSteps(50).returnConvergenceDelta(true).build());
    }

    @Test
    void layerConductanceTinyResnetLayer3Conv2InBatchesOfSteps() {
        cases.check(
                "layer_conductance_tiny_resnet_layer3_1_conv2",
                (mdl, l) -> new LayerConductance(mdl, l),
                LayerConductance.Options.builder()
                        .nSteps(20)
                        .internalBatchSize(6)
                        .returnConvergenceDelta(true)
                        .build());
    }

    @Test
    void layerActivationBasicLinear1() {
        cases.check(
                "layer_activation_basic_linear1",
                (mdl, l) -> new LayerActivation(mdl, l),
                LayerActivation.Options.DEFAULTS);
    }

    @Test
    void layerActivationTinyResnetLayer3Conv2() {
        cases.check(
                "layer_activation_tiny_resnet_layer3_1_conv2",
                (mdl, l) -> new LayerActivation(mdl, l),
                LayerActivation.Options.DEFAULTS);
    }

    @Test
    void internalInfluenceBasicLinear1() {
        cases.check(
                "internal_influence_basic_linear1",
                (mdl, l) -> new InternalInfluence(mdl, l),
                InternalInfluence.Options.builder().nSteps(30).build());
    }

    @Test
    void layerGradXActTabularFc2() {
        cases.check(
                "layer_grad_x_act_tabular_fc2",
                (mdl, l) -> new LayerGradientXActivation(mdl, l),
                LayerGradientXActivation.Options.DEFAULTS);
    }

    @Test
    void layerGradCamSmallCnnConv2WithInterpolation() {
        cases.check(
                "layer_gradcam_small_cnn_conv2",
                (mdl, l) -> new LayerGradCam(mdl, l),
                LayerGradCam.Options.DEFAULTS);
    }

    @Test
    void layerGradCamNoReluSmallCnnConv1() {
        cases.check(
                "layer_gradcam_no_relu_small_cnn_conv1",
                (mdl, l) -> new LayerGradCam(mdl, l),
                LayerGradCam.Options.DEFAULTS);
    }

    @Test
    void layerGradCamTinyResnetLayer3Conv2() {
        cases.check(
                "layer_gradcam_tiny_resnet_layer3_1_conv2",
                (mdl, l) -> new LayerGradCam(mdl, l),
                LayerGradCam.Options.DEFAULTS);
    }

    @Test
    void layerGradCamTinyResnetLayer4Container() {
        cases.check(
                "layer_gradcam_tiny_resnet_layer4",
                (mdl, l) -> new LayerGradCam(mdl, l),
                LayerGradCam.Options.DEFAULTS);
    }

    @Test
    void layerIgTabularFc1() {
        cases.check(
                "layer_ig_tabular_fc1",
                (mdl, l) -> new LayerIntegratedGradients(mdl, l),
                LayerIntegratedGradients.Options.builder()
                        .nSteps(40)
                        .returnConvergenceDelta(true)
                        .build());
    }

    @Test
    void layerIgTextEmbOnInt64Tokens() {
        cases.check(
                "layer_ig_text_emb",
                (mdl, l) -> new LayerIntegratedGradients(mdl, l),
                LayerIntegratedGradients.Options.builder().returnConvergenceDelta(true).build());
    }

    @Test
    void layerGradientShapTabularFc1MatchesTheSeedMean() {
        LayerGradientShap lgs =
                new LayerGradientShap(
                        cases.model("tabular_mlp"),
                        io.github.captum4j.core.layer.LayerPath.of("fc1"));
        cases.checkSeedMean(
                "layer_gradient_shap_tabular_fc1",
                (in, seed) ->
                        lgs.attribute(
                                in,
                                io.github.captum4j.core.Target.index(1),
                                LayerGradientShap.Options.builder()
                                        .nSamples(10)
                                        .stdevs(0.05)
                                        .seed(seed)
                                        .build()),
                200);
    }

    @Test
    void layerFeatureAblationTabularFc1() {
        cases.check(
                "layer_feature_ablation_tabular_fc1",
                (mdl, l) -> new LayerFeatureAblation(mdl, l),
                LayerFeatureAblation.Options.builder().perturbationsPerEval(3).build());
    }
}
