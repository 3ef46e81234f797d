package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.attr.layer.LayerDeepLift;
import io.github.captum4j.attr.neuron.NeuronDeepLift;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class DeepLiftTest {

    private static final DeepLift.Options WITH_DELTA = new DeepLift.Options(true);

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
    void deepLiftShapAveragesDeepLiftOverTheBaselines() throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tabular_mlp.json"), manager)) {
            NDArray x = manager.create(TestModels.gaussian(30, 4), new Shape(3, 10));
            NDArray refs = manager.create(TestModels.gaussian(50, 5), new Shape(5, 10));
            DeepLiftShap dls = new DeepLiftShap(model.forwardFunction());
            Target t = Target.index(1);
            try (Attribution a =
                    dls.attribute(
                            Inputs.of(x).withBaselines(Baselines.distribution(refs)),
                            t,
                            WITH_DELTA)) {
                long s = refs.getShape().get(0);
                assertThat(a.convergenceDelta().orElseThrow().getShape())
                        .isEqualTo(new Shape(x.getShape().get(0) * s));
                DeepLift dl = new DeepLift(model.forwardFunction());
                NDArray sum = x.zerosLike();
                for (long k = 0; k < s; k++) {
                    NDArray b = refs.get(k + ":" + (k + 1)).broadcast(x.getShape());
                    try (Attribution one =
                            dl.attribute(Inputs.of(x).withBaselines(Baselines.tensors(b)), t)) {
                        sum = sum.add(one.attribution(0));
                    }
                }
                NDArrayAssert.assertThat(a.attribution(0)).isCloseTo(sum.div(s), 1e-5, 1e-6);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void completenessHoldsOnTheResNetWithChainRuleOrder(long seed) throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tiny_resnet.json"), manager)) {
            NDArray x = random(seed, 2, 3, 64, 64);
            NDArray b = random(seed + 7, 2, 3, 64, 64).mul(0.1f);
            Target t = Target.index((int) seed);
            try (Attribution a =
                    new DeepLift(model.forwardFunction(), true, DeepLift.DEFAULT_EPS, false)
                            .attribute(
                                    Inputs.of(x).withBaselines(Baselines.tensors(b)),
                                    t,
                                    WITH_DELTA)) {
                float[] fx =
                        model.forwardFunction()
                                .forward(new NDList(x), List.of())
                                .get(":, " + seed)
                                .toFloatArray();
                float[] fb =
                        model.forwardFunction()
                                .forward(new NDList(b), List.of())
                                .get(":, " + seed)
                                .toFloatArray();
                float[] sums = a.attribution(0).reshape(2, -1).sum(new int[] {1}).toFloatArray();
                for (int n = 0; n < 2; n++) {
                    double gap = fx[n] - fb[n];
                    assertThat((double) sums[n])
                            .isCloseTo(
                                    gap,
                                    org.assertj.core.data.Offset.offset(
                                            1e-3 * (1 + Math.abs(gap))));
                }
                assertThat(a.convergenceDelta().orElseThrow().abs().max().getFloat())
                        .isLessThan(1e-3f);
            }
        }
    }

    @Test
    void onALinearModelDeepLiftEqualsIntegratedGradientsAndGradientTimesDifference()
            throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tabular_linear.json"), manager)) {
            NDArray x = random(11, 4, 10);
            NDArray b = random(12, 4, 10);
            Inputs in = Inputs.of(x).withBaselines(Baselines.tensors(b));
            Target t = Target.perExample(0, 1, 2, 1);
            try (Attribution dl = new DeepLift(model.forwardFunction()).attribute(in, t);
                    Attribution ig =
                            new IntegratedGradients(model.forwardFunction()).attribute(in, t);
                    Attribution g =
                            new InputXGradient(model.forwardFunction())
                                    .attribute(Inputs.of(x.sub(b)), t)) {
                NDArrayAssert.assertThat(dl.attribution(0))
                        .isCloseTo(ig.attribution(0), 1e-4, 1e-5);
                NDArrayAssert.assertThat(dl.attribution(0)).isCloseTo(g.attribution(0), 1e-5, 1e-6);
            }
        }
    }

    @Test
    void aReusedReluGivesTheSameResultAsSeparateRelus(@TempDir Path dir) throws Exception {
        Path reused = reusedReluResNet(dir);
        try (ImportedModel separate =
                        ImportedModel.load(TestModels.model("tiny_resnet.json"), manager);
                ImportedModel shared = ImportedModel.load(reused, manager)) {
            assertThat(shared.layerNames()).doesNotContain("layer1.0.relu2");
            NDArray x = random(5, 2, 3, 64, 64);
            Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(0.1f));
            for (AttributionMethod<?> pair :
                    List.<AttributionMethod<?>>of(
                            new DeepLift(separate.forwardFunction()),
                            new GuidedBackprop(separate.forwardFunction()),
                            new Deconvolution(separate.forwardFunction()))) {
                AttributionMethod<?> other =
                        pair instanceof DeepLift
                                ? new DeepLift(shared.forwardFunction())
                                : pair instanceof GuidedBackprop
                                        ? new GuidedBackprop(shared.forwardFunction())
                                        : new Deconvolution(shared.forwardFunction());
                Inputs use = pair.usesBaselines() ? in : Inputs.of(x);
                try (Attribution a = pair.attribute(use, Target.index(4));
                        Attribution b = other.attribute(use, Target.index(4))) {
                    NDArrayAssert.assertThat(b.attribution(0))
                            .isCloseTo(a.attribution(0), 1e-5, 1e-7);
                    assertThat(a.attribution(0).abs().sum().getFloat()).isGreaterThan(0f);
                }
            }
        }
    }

    @Test
    void aModelTheLibraryCannotSeeInsideIsRejected() {
        assertThatThrownBy(() -> new DeepLift(TestModels.linear(3, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forwardFunction")
                .hasMessageContaining("Block model");
        assertThatThrownBy(() -> new GuidedBackprop(TestModels.linear(3, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ImportedModel.load");
    }

    @Test
    void nothingLeaksAfterManyCallsAndAfterAFailingCall() throws Exception {
        try (NDManager caller = manager.newSubManager();
                ImportedModel model =
                        ImportedModel.load(TestModels.model("small_cnn.json"), manager)) {
            NDArray x = caller.randomNormal(new Shape(2, 1, 28, 28));
            DeepLift dl = new DeepLift(model.forwardFunction());
            GuidedBackprop gb = new GuidedBackprop(model.forwardFunction());
            LRP lrp = new LRP(model.forwardFunction());
            GuidedGradCam ggc = new GuidedGradCam(model, LayerPath.of("conv2"));
            LayerDeepLift ldl = new LayerDeepLift(model, LayerPath.of("conv2"));
            NeuronDeepLift ndl = new NeuronDeepLift(model, LayerPath.of("fc1"));
            int before = caller.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                dl.attribute(Inputs.of(x), Target.index(1), WITH_DELTA).close();
                gb.attribute(Inputs.of(x), Target.index(1)).close();
                lrp.attribute(Inputs.of(x), Target.index(1), new LRP.Options(true)).close();
                ggc.attribute(Inputs.of(x), Target.index(1)).close();
                ldl.attribute(Inputs.of(x), Target.index(1)).close();
                ndl.attribute(Inputs.of(x), NeuronSelector.index(3)).close();
            }
            assertThatThrownBy(() -> dl.attribute(Inputs.of(x), Target.index(10)))
                    .isInstanceOf(RuntimeException.class);
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void concurrentCallsOnOneModelMatchSequentialOnes() throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tiny_resnet.json"), manager)) {
            DeepLift dl = new DeepLift(model.forwardFunction());
            GuidedBackprop gb = new GuidedBackprop(model.forwardFunction());
            NDArray x = random(21, 2, 3, 64, 64);
            float[] dlExpected;
            float[] gbExpected;
            try (Attribution a = dl.attribute(Inputs.of(x), Target.index(2));
                    Attribution b = gb.attribute(Inputs.of(x), Target.index(2))) {
                dlExpected = a.attribution(0).toFloatArray();
                gbExpected = b.attribution(0).toFloatArray();
            }
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    boolean useDeepLift = i % 2 == 0;
                    results.add(
                            pool.submit(
                                    () -> {
                                        try (NDManager own = NDManager.newBaseManager()) {
                                            NDArray mine =
                                                    own.create(x.toFloatArray(), x.getShape());
                                            AttributionMethod<?> m = useDeepLift ? dl : gb;
                                            try (Attribution a =
                                                    m.attribute(Inputs.of(mine), Target.index(2))) {
                                                return java.util.Arrays.equals(
                                                        a.attribution(0).toFloatArray(),
                                                        useDeepLift ? dlExpected : gbExpected);
                                            }
                                        }
                                    }));
                }
                for (java.util.concurrent.Future<Boolean> r : results) {
                    assertThat(r.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** tiny_resnet with torchvision's layout: every residual unit reuses {@code relu}. */
    private static Path reusedReluResNet(Path dir) throws Exception {
        Path src = TestModels.model("tiny_resnet.json");
        JsonObject json = JsonParser.parseString(Files.readString(src)).getAsJsonObject();
        JsonArray layers = new JsonArray();
        for (JsonElement l : json.getAsJsonArray("layers")) {
            if (!l.getAsJsonObject().get("name").getAsString().endsWith(".relu2")) {
                layers.add(l);
            }
        }
        json.add("layers", layers);
        for (JsonElement g : json.getAsJsonArray("graph")) {
            JsonObject op = g.getAsJsonObject();
            String name = op.get("op").getAsString();
            if (name.endsWith(".relu2")) {
                op.addProperty("op", name.substring(0, name.length() - 1));
            }
        }
        String weights = json.get("state_dict_file").getAsString();
        Files.copy(src.resolveSibling(weights), dir.resolve(weights));
        Path out = dir.resolve("tiny_resnet_reused.json");
        Files.writeString(out, json.toString());
        return out;
    }

    private NDArray random(long seed, long... shape) {
        Shape s = new Shape(shape);
        return manager.create(TestModels.gaussian((int) s.size(), seed), s);
    }
}
