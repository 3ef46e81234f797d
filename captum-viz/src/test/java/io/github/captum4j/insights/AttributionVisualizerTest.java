package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.viz.ChannelLayout;
import io.github.captum4j.viz.ImageVisualization;
import io.github.captum4j.viz.Png;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class AttributionVisualizerTest {

    private NDManager manager;
    private Batch images;
    private AttributionVisualizer visualizer;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        images = DemoBatches.images(manager);
        visualizer =
                new AttributionVisualizer(
                        List.of(DemoBatches.imageModel()),
                        out -> out.softmax(-1),
                        DemoBatches.IMAGE_CLASSES,
                        List.of(ImageFeature.of("Photo")),
                        List.of(images));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static FilterConfig config(
            String method, FilterConfig.Prediction p, List<String> classes, int n) {
        return FilterConfig.builder()
                .attributionMethod(method)
                .prediction(p)
                .classes(classes)
                .numExamples(n)
                .build();
    }

    @Test
    void showsTheTopPredictionsBestFirstAndExplainsTheTopClass() {
        List<VisualizationOutput> outs =
                visualizer.visualize(
                        config("IntegratedGradients", FilterConfig.Prediction.ALL, List.of(), 4));
        assertThat(outs).hasSize(4);
        for (VisualizationOutput o : outs) {
            assertThat(o.predicted()).hasSize(3);
            assertThat(o.predicted().get(0).score())
                    .isGreaterThanOrEqualTo(o.predicted().get(1).score());
            assertThat(o.predicted().get(1).score())
                    .isGreaterThanOrEqualTo(o.predicted().get(2).score());
            assertThat(o.predicted().stream().mapToDouble(OutputScore::score).sum())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(o.activeIndex()).isEqualTo(o.predicted().get(0).index());
            assertThat(o.featureOutputs()).hasSize(1);
            FeatureOutput.Image img = (FeatureOutput.Image) o.featureOutputs().get(0);
            assertThat(List.of(img.original(), img.heatMap(), img.overlay()))
                    .allMatch(s -> s.startsWith("data:image/png;base64,"));
            assertThat(Math.abs(img.contribution())).isEqualTo(1.0);
        }
        // The images are mostly one colour: the model predicts that colour.
        assertThat(outs.get(1).predicted().get(0).label()).isEqualTo("green");
        assertThat(outs.get(1).actual().label()).isEqualTo("green");
    }

    @Test
    void filtersByCorrectnessAndClass() {
        List<VisualizationOutput> correct =
                visualizer.visualize(
                        config("Saliency", FilterConfig.Prediction.CORRECT, List.of(), 8));
        List<VisualizationOutput> incorrect =
                visualizer.visualize(
                        config("Saliency", FilterConfig.Prediction.INCORRECT, List.of(), 8));
        assertThat(correct).allMatch(o -> o.actual().index() == o.predicted().get(0).index());
        assertThat(incorrect).allMatch(o -> o.actual().index() != o.predicted().get(0).index());
        assertThat(correct.size() + incorrect.size()).isEqualTo(8);
        assertThat(incorrect).hasSize(2); // examples 3 and 6 carry a wrong label
        List<VisualizationOutput> blue =
                visualizer.visualize(
                        config("Saliency", FilterConfig.Prediction.ALL, List.of("blue"), 8));
        assertThat(blue).isNotEmpty().allMatch(o -> o.predicted().get(0).label().equals("blue"));
        assertThat(blue.size()).isLessThan(8);
    }

    @Test
    void attributionsAreTheMethodsOwn() {
        VisualizationOutput out =
                visualizer
                        .visualize(config("Saliency", FilterConfig.Prediction.ALL, List.of(), 1))
                        .get(0);
        try (NDManager m = manager.newSubManager()) {
            m.tempAttachAll(images.inputs().get(0));
            NDArray x = images.inputs().get(0).get("0:1");
            try (Attribution a =
                    new Saliency(DemoBatches.imageModel())
                            .attribute(Inputs.of(x), Target.index(out.activeIndex()))) {
                String expected =
                        Png.dataUri(
                                ImageVisualization.renderImageAttr(
                                        a.attribution(0),
                                        null,
                                        ImageVisualization.Options.builder()
                                                .channelLayout(ChannelLayout.CHANNELS_FIRST)
                                                .build()));
                assertThat(((FeatureOutput.Image) out.featureOutputs().get(0)).heatMap())
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void reattributesAShownExampleForAnotherClass() {
        FilterConfig c = config("InputXGradient", FilterConfig.Prediction.ALL, List.of(), 2);
        VisualizationOutput first = visualizer.visualize(c).get(1);
        int other = (first.activeIndex() + 1) % 3;
        VisualizationOutput again = visualizer.attribute(first.instance(), 0, other, c);
        assertThat(again.activeIndex()).isEqualTo(other);
        assertThat(again.predicted()).isEqualTo(first.predicted());
        assertThat(((FeatureOutput.Image) again.featureOutputs().get(0)).heatMap())
                .isNotEqualTo(((FeatureOutput.Image) first.featureOutputs().get(0)).heatMap());
        assertThatThrownBy(() -> visualizer.attribute(8, 0, 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance must be in [0, 8) (the dataset's examples), got 8");
    }

    @Test
    void textAndGeneralFeaturesAreNormalisedAsCaptumDoes() {
        AttributionVisualizer v = DemoBatches.textVisualizer(manager);
        for (String method : v.methods().names()) {
            List<VisualizationOutput> outs =
                    v.visualize(config(method, FilterConfig.Prediction.ALL, List.of(), 3));
            assertThat(outs).as(method).hasSize(3);
            for (VisualizationOutput o : outs) {
                FeatureOutput.Text text = (FeatureOutput.Text) o.featureOutputs().get(0);
                FeatureOutput.General general = (FeatureOutput.General) o.featureOutputs().get(1);
                assertThat(text.tokens()).hasSize(6);
                assertThat(text.modified().stream().mapToDouble(Math::abs).max().orElseThrow())
                        .as(method)
                        .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
                double l2 = Math.sqrt(general.modified().stream().mapToDouble(d -> d * d).sum());
                assertThat(l2)
                        .as(method)
                        .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(general.base().get(0)).startsWith("stars: ");
                assertThat(Math.abs(text.contribution()) + Math.abs(general.contribution()))
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(
                        ((FeatureOutput.Text)
                                        v.visualize(FilterConfig.DEFAULTS)
                                                .get(0)
                                                .featureOutputs()
                                                .get(0))
                                .tokens())
                .containsExactly("good", "film", "great", "<pad>", "<pad>", "<pad>");
    }

    @Test
    void textTokensAreHighlightedWithCaptumsVisualizeTextColours() {
        AttributionVisualizer v = DemoBatches.textVisualizer(manager);
        List<VisualizationOutput> outs =
                v.visualize(config("InputXGradient", FilterConfig.Prediction.ALL, List.of(), 5));
        for (VisualizationOutput o : outs) {
            com.google.gson.JsonObject text =
                    Json.output(o).getAsJsonArray("featureOutputs").get(0).getAsJsonObject();
            List<Double> modified = ((FeatureOutput.Text) o.featureOutputs().get(0)).modified();
            List<String> tokens = ((FeatureOutput.Text) o.featureOutputs().get(0)).tokens();
            com.google.gson.JsonArray colors = text.getAsJsonArray("colors");
            assertThat(colors).hasSameSizeAs(modified);
            int strongest = 0;
            for (int i = 0; i < modified.size(); i++) {
                assertThat(colors.get(i).getAsString())
                        .isEqualTo(
                                io.github.captum4j.viz.TextVisualization.color(
                                        (float) (modified.get(i) / 100)));
                if (Math.abs(modified.get(i)) > Math.abs(modified.get(strongest))) {
                    strongest = i;
                }
                if (tokens.get(i).equals("<pad>")) {
                    // The pad token embeds to zeros: input x gradient is 0, drawn white.
                    assertThat(colors.get(i).getAsString()).isEqualTo("hsl(0, 75%, 100%)");
                }
            }
            // The strongest token is drawn with the full colour of its sign.
            assertThat(colors.get(strongest).getAsString())
                    .isIn("hsl(120, 75%, 50%)", "hsl(0, 75%, 60%)");
        }
    }

    @Test
    void nothingLeaksIntoTheDatasetsManager() {
        int before = manager.getManagedArrays().size();
        FilterConfig c = config("GradientShap", FilterConfig.Prediction.ALL, List.of(), 3);
        for (int i = 0; i < 10; i++) {
            visualizer.visualize(c);
            visualizer.attribute(0, 0, 2, c);
        }
        AttributionVisualizer failing =
                new AttributionVisualizer(
                        List.of(DemoBatches.imageModel()),
                        null,
                        DemoBatches.IMAGE_CLASSES,
                        List.of(ImageFeature.of("Photo").withInputTransform(x -> x.reshape(-1))),
                        List.of(images));
        assertThatThrownBy(() -> failing.visualize(FilterConfig.DEFAULTS))
                .isInstanceOf(RuntimeException.class);
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void badRequestsNameTheProblem() {
        assertThatThrownBy(
                        () ->
                                visualizer.visualize(
                                        FilterConfig.builder()
                                                .attributionMethod("Occlusions")
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "attributionMethod must be one of [IntegratedGradients, Saliency,")
                .hasMessageContaining("got 'Occlusions'");
        assertThatThrownBy(
                        () ->
                                visualizer.visualize(
                                        FilterConfig.builder()
                                                .attributionArguments(Map.of("nSteps", 1))
                                                .build()))
                .hasMessage("nSteps must be in [2, 1000], got 1");
        assertThatThrownBy(
                        () ->
                                visualizer.visualize(
                                        FilterConfig.builder()
                                                .attributionArguments(Map.of("steps", 3))
                                                .build()))
                .hasMessageContaining("unknown argument 'steps'");
        assertThatThrownBy(
                        () ->
                                visualizer.visualize(
                                        FilterConfig.builder().classes(List.of("cat")).build()))
                .hasMessage("classes must be among [red, green, blue], got 'cat'");
        assertThatThrownBy(() -> FilterConfig.builder().numExamples(0).build())
                .hasMessage("numExamples must be in [1, 64], got 0");
    }
}
