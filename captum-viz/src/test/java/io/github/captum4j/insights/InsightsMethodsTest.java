package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The methods Insights offers, the budget of a request, its progress and its independence. */
class InsightsMethodsTest {

    /** Captum Insights' eight, then the library's other image methods. */
    static final List<String> EVERY_IMAGE_METHOD =
            List.of(
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

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Insights over the fixtures' small_cnn (a Block model, 1 x 28 x 28, 10 classes). */
    private AttributionVisualizer cnnVisualizer(ImportedModel cnn) {
        SplittableRandom r = new SplittableRandom(3);
        float[] pixels = new float[4 * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add("digit " + c);
        }
        return new AttributionVisualizer(
                List.of(cnn.forwardFunction()),
                out -> out.softmax(-1),
                classes,
                List.of(ImageFeature.of("Digit")),
                List.of(
                        Batch.of(
                                manager.create(pixels, new Shape(4, 1, 28, 28)),
                                manager.create(new long[] {0, 1, 2, 3}))),
                true,
                MethodRegistry.defaults().withGradCam(LayerPath.of("conv2")));
    }

    @Test
    void everyImageMethodIsOfferedOnABlockModelAndDrawsAnAttribution() throws IOException {
        try (ImportedModel cnn = ImportedModel.load(TestModels.model("small_cnn.json"), manager)) {
            AttributionVisualizer v = cnnVisualizer(cnn);
            assertThat(v.methods().names()).containsExactlyElementsOf(EVERY_IMAGE_METHOD);
            for (String method : EVERY_IMAGE_METHOD) {
                List<VisualizationOutput> outs =
                        v.visualize(
                                FilterConfig.builder()
                                        .attributionMethod(method)
                                        .attributionArguments(fast(method))
                                        .numExamples(1)
                                        .build());
                assertThat(outs).as(method).hasSize(1);
                FeatureOutput.Image img = (FeatureOutput.Image) outs.get(0).featureOutputs().get(0);
                assertThat(img.overlay()).as(method).startsWith("data:image/png;base64,");
                // A non-zero attribution gives a contribution of +-1 for a single feature. Lime's
                // surrogate (Captum's default Lasso, alpha 0.01) may zero every superpixel of this
                // random-weight CNN, whose outputs barely move.
                assertThat(Math.abs(img.contribution()))
                        .as(method)
                        .isIn(method.equals("Lime") ? List.of(0.0, 1.0) : List.of(1.0));
            }
        }
    }

    /** Perturbation methods with 100 perturbations per forward pass, to keep the test fast. */
    private static Map<String, Object> fast(String method) {
        return List.of("Occlusion", "FeatureAblation", "KernelShap", "Lime", "ShapleyValueSampling")
                        .contains(method)
                ? Map.of("perturbationsPerEval", 100)
                : Map.of();
    }

    @Test
    void superpixelsAreSquaresSharedByTheChannelsAndIdsContinueAcrossInputs() {
        List<ai.djl.ndarray.NDArray> masks =
                BuiltInMethods.superpixelMask(
                        List.of(manager.zeros(new Shape(1, 3, 6, 8)), manager.zeros(new Shape(1, 2))),
                        4);
        assertThat(masks.get(0).getShape()).isEqualTo(new Shape(1, 3, 6, 8));
        long[] ids = masks.get(0).toLongArray();
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 8; w++) {
                    // 2 squares across, 2 down (the last one cut to 2 rows)
                    assertThat(ids[(c * 6 + h) * 8 + w]).isEqualTo((h / 4) * 2L + w / 4);
                }
            }
        }
        assertThat(masks.get(1).toLongArray()).containsExactly(4, 5);
    }

    @Test
    void methodsAModelCannotRunAreNotOffered() {
        AttributionVisualizer v =
                DemoBatches.imageVisualizer(
                        manager,
                        DemoBatches.imageModel(),
                        MethodRegistry.defaults().withGradCam(LayerPath.of("conv2")));
        assertThat(v.methods().names())
                .containsExactly(
                        "IntegratedGradients",
                        "Saliency",
                        "GradientShap",
                        "InputXGradient",
                        "Occlusion",
                        "FeatureAblation",
                        "KernelShap",
                        "Lime",
                        "ShapleyValueSampling",
                        "NoiseTunnel");
        assertThatThrownBy(
                        () ->
                                v.visualize(
                                        FilterConfig.builder()
                                                .attributionMethod("DeepLift")
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'DeepLift'");
    }

    @Test
    void theBudgetBoundsWrappedMethodsToo() {
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        // NoiseTunnel over IG runs IG (50 steps) once per sample: 200 x 50 per example.
        FilterConfig tunnel =
                FilterConfig.builder()
                        .attributionMethod("NoiseTunnel")
                        .attributionArguments(
                                Map.of("base", "IntegratedGradients", "ntSamples", 200))
                        .numExamples(4)
                        .build();
        assertThatThrownBy(() -> v.visualize(tunnel))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs about 40000 model evaluations")
                .hasMessageContaining("NoiseTunnel: 10000 per example x 4")
                .hasMessageContaining("limit of 20000");
        FilterConfig manySteps =
                FilterConfig.builder()
                        .attributionArguments(Map.of("nSteps", 1000))
                        .numExamples(64)
                        .build();
        assertThatThrownBy(() -> v.visualize(manySteps))
                .hasMessageContaining("needs about 64000 model evaluations");
        // Within the budget: 200 x 50 x 1 example fits a budget of 10000.
        AttributionVisualizer roomy =
                DemoBatches.imageVisualizer(
                        manager,
                        DemoBatches.imageModel(),
                        MethodRegistry.defaults().withMaxEvaluations(1000));
        assertThatThrownBy(
                        () ->
                                roomy.visualize(
                                        FilterConfig.builder()
                                                .attributionArguments(Map.of("nSteps", 300))
                                                .numExamples(4)
                                                .build()))
                .hasMessageContaining("needs about 1200 model evaluations")
                .hasMessageContaining("limit of 1000");
        assertThat(
                        roomy.visualize(
                                FilterConfig.builder()
                                        .attributionArguments(Map.of("nSteps", 250))
                                        .numExamples(4)
                                        .build()))
                .hasSize(4);
    }

    @Test
    void progressCountsEvaluationsUpToTheRequestsTotal() {
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        for (String method : List.of("IntegratedGradients", "Occlusion", "FeatureAblation")) {
            List<long[]> calls = new ArrayList<>();
            ProgressListener record = (task, done, total) -> calls.add(new long[] {done, total});
            v.visualize(
                    FilterConfig.builder().attributionMethod(method).numExamples(3).build(),
                    record);
            assertThat(calls).as(method).isNotEmpty();
            long total = calls.get(0)[1];
            assertThat(total).as(method).isPositive();
            long previous = 0;
            for (long[] c : calls) {
                assertThat(c[1]).as(method).isEqualTo(total);
                assertThat(c[0]).as(method).isBetween(previous, total);
                previous = c[0];
            }
            assertThat(previous).as(method).isEqualTo(total);
        }
    }

    @Test
    void anExampleIsNamedByItsPlaceInTheDatasetWhateverWasShownBefore() {
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        FilterConfig blue =
                FilterConfig.builder()
                        .attributionMethod("Saliency")
                        .classes(List.of("blue"))
                        .numExamples(2)
                        .build();
        VisualizationOutput second = v.visualize(blue).get(1);
        // Another client's request in between does not change what the instance means.
        v.visualize(
                FilterConfig.builder().attributionMethod("Saliency").classes(List.of("red")).build());
        VisualizationOutput again =
                v.attribute(second.instance(), 0, second.activeIndex(), blue);
        assertThat(again.predicted()).isEqualTo(second.predicted());
        assertThat(again.actual()).isEqualTo(second.actual());
        assertThat(((FeatureOutput.Image) again.featureOutputs().get(0)).overlay())
                .isEqualTo(((FeatureOutput.Image) second.featureOutputs().get(0)).overlay());
        // The blue examples are rows 2 and 5 of the batch (rows i with i % 3 == 2).
        assertThat(second.instance()).isEqualTo(5);
    }

    @Test
    void concurrentRequestsGiveTheSequentialResults() throws Exception {
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        List<FilterConfig> configs = new ArrayList<>();
        for (String method : List.of("IntegratedGradients", "Saliency", "Occlusion", "GradientShap")) {
            configs.add(FilterConfig.builder().attributionMethod(method).numExamples(3).build());
        }
        List<String> sequential = new ArrayList<>();
        for (FilterConfig c : configs) {
            sequential.add(Json.outputs(v.visualize(c)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (FilterConfig c : configs) {
                    futures.add(pool.submit(() -> Json.outputs(v.visualize(c))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % configs.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
