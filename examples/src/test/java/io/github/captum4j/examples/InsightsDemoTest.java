package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.insights.AttributionVisualizer;
import io.github.captum4j.insights.FilterConfig;
import io.github.captum4j.insights.VisualizationOutput;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code insights} command's model and page: it loads the weights the {@code demo} writes (here
 * an untrained export of the same CNN, so the test stays fast) and offers every image method.
 */
class InsightsDemoTest {

    @Test
    void loadsTheDemosWeightsAndOffersEveryImageMethod(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (NDManager manager = NDManager.newBaseManager()) {
            ShapesModel.trainAndExport(
                    ShapesTask.generate(8, ShapesTrained.SEED, manager), 0, ShapesTrained.SEED, dir);
            Path json = InsightsDemo.model(dir, manager, out);
            assertThat(json).isEqualTo(dir.resolve("shapes_cnn.json"));
            assertThat(bytes.toString(StandardCharsets.UTF_8))
                    .contains("Insights on the demo's shapes CNN from");
            try (ImportedModel cnn = ImportedModel.load(json, manager)) {
                AttributionVisualizer v =
                        InsightsDemo.visualizer(cnn.forwardFunction(), manager, out);
                assertThat(v.classes()).containsExactly("square", "plus", "ring");
                assertThat(v.methods().names())
                        .containsExactly(
                                "IntegratedGradients",
                                "Saliency",
                                "GradientShap",
                                "Deconvolution",
                                "GuidedBackprop",
                                "InputXGradient",
                                "Occlusion",
                                "FeatureAblation",
                                "KernelShap",
                                "Lime",
                                "ShapleyValueSampling",
                                "DeepLift",
                                "LRP",
                                "NoiseTunnel",
                                "GuidedGradCam",
                                "LayerGradCam");
                List<VisualizationOutput> outs =
                        v.visualize(
                                FilterConfig.builder()
                                        .attributionMethod("GuidedGradCam")
                                        .numExamples(2)
                                        .build());
                assertThat(outs).hasSize(2);
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("accuracy on the 32 held-out images");
    }

    @Test
    void aBadPortIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Cli.run(
                        new String[] {"insights", "--port", "70000"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("error: --port must be a number in [0, 65535], got '70000'");
    }
}
