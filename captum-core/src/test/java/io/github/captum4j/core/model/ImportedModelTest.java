package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import com.google.gson.JsonObject;

import io.github.captum4j.core.ForwardFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

class ImportedModelTest {

    private static final double VERIFY_ATOL = 1e-5;

    private static NDManager base;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    // ------------------------------------------------------------ golden outputs

    @ParameterizedTest(name = "{0}.json")
    @ValueSource(
            strings = {
                "toy",
                "tabular_mlp",
                "tabular_linear",
                "small_cnn",
                "basic_multilayer",
                "multi_input",
                "multi_input_true",
                "text_emb",
                "tiny_resnet"
            })
    void reproducesVerifyOutput(String id) throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson(id));
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson(id), m)) {
            NDList inputs = Fixtures.verifyInputs(json, m);
            // the fixture's multi_input output was recorded with scale = 1
            List<Object> extra = id.equals("multi_input") ? List.of(1) : List.of();
            NDArray out = model.forwardFunction().forward(inputs, extra);
            NDArray expected = Fixtures.verifyOutput(json, m);
            double err = Fixtures.maxAbsDiff(out, expected);
            System.out.printf("%s: max |error| vs verify_output = %.3g%n", id, err);
            assertThat(model.id()).isEqualTo(id);
            assertThat(err).isLessThanOrEqualTo(VERIFY_ATOL);
        }
    }

    @ParameterizedTest(name = "{0}.json")
    @ValueSource(
            strings = {
                "toy",
                "tabular_mlp",
                "small_cnn",
                "multi_input_true",
                "text_emb",
                "tiny_resnet"
            })
    void everyLeafModuleRunsOnceAndShapesAreKnown(String id) throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson(id));
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson(id), m)) {
            List<String> calls = new ArrayList<>();
            ((ModuleBlock) model.block()).trace("", calls);
            assertThat(calls).doesNotHaveDuplicates();
            List<String> leaves = new ArrayList<>();
            json.getAsJsonArray("layers")
                    .forEach(e -> leaves.add(e.getAsJsonObject().get("name").getAsString()));
            leaves.removeIf(n -> n.endsWith("linear1_alt"));
            assertThat(calls).containsExactlyInAnyOrderElementsOf(leaves);
            NDList inputs = Fixtures.verifyInputs(json, m);
            Shape[] shapes = inputs.getShapes();
            assertThat(model.block().getOutputShapes(shapes))
                    .containsExactly(Fixtures.verifyOutput(json, m).getShape());
        }
    }

    // ------------------------------------------------------------ basic_multilayer family

    /** Eager BasicModel_MultiLayer with its fixed weights, in plain Java. */
    private static float[] basicMultiLayer(float[] x, float[] add, int n, boolean multidim) {
        int outSize = multidim ? 8 : 2;
        float[] y = new float[n * outSize];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int j = 0; j < 3; j++) {
                s += x[i * 3 + j] + (add == null ? 0 : add[i * 3 + j]);
            }
            float[] bias1 = {-10, 1, 1, 1};
            float h = 0;
            for (float b : bias1) {
                h += Math.max(0, s + b);
            }
            float[] lin2 = {h - 1, h + 1};
            if (!multidim) {
                y[i * 2] = lin2[0];
                y[i * 2 + 1] = lin2[1];
            } else {
                // stack((y, 2y), dim=2) then stack((s, 4s), dim=3): y_md[n,a,b,c]
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        for (int c = 0; c < 2; c++) {
                            y[i * 8 + a * 4 + b * 2 + c] = lin2[a] * (b + 1) * (c == 0 ? 1 : 4);
                        }
                    }
                }
            }
        }
        return y;
    }

    @Test
    void basicMultiLayerHonoursAddInputAndMultidimOutput() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model =
                        ImportedModel.load(Fixtures.modelJson("basic_multilayer"), m)) {
            ForwardFunction f = model.forwardFunction();
            float[] x = {0.5f, 2f, 3f, -1f, 0.25f, 1f, 4f, 4f, 4f};
            float[] add = {1f, 1f, 1f, 0f, -2f, 0.5f, -3f, 0f, 0f};
            NDArray xs = m.create(x, new Shape(3, 3));
            NDArray adds = m.create(add, new Shape(3, 3));

            assertThat(f.forward(new NDList(xs), List.of()).toFloatArray())
                    .containsExactly(basicMultiLayer(x, null, 3, false));
            assertThat(f.forward(new NDList(xs), List.of(adds)).toFloatArray())
                    .containsExactly(basicMultiLayer(x, add, 3, false));
            // (x, None, True), as in Captum's additional_forward_args=(None, True)
            NDArray md = f.forward(new NDList(xs), Arrays.asList(null, true));
            assertThat(md.getShape()).isEqualTo(new Shape(3, 2, 2, 2));
            assertThat(md.toFloatArray()).containsExactly(basicMultiLayer(x, null, 3, true));
            NDArray mdAdd = f.forward(new NDList(xs), List.of(adds, true));
            assertThat(mdAdd.toFloatArray()).containsExactly(basicMultiLayer(x, add, 3, true));
            // add_input given as a second input, as model(x, add_input) in Python
            assertThat(f.forward(new NDList(xs, adds), List.of()).toFloatArray())
                    .containsExactly(basicMultiLayer(x, add, 3, false));
            assertThat(f.forward(new NDList(xs), List.of(adds, false)).getShape())
                    .isEqualTo(new Shape(3, 2));
        }
    }

    @Test
    void multiInputScalesTheSumOfItsInputs() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("multi_input"), m)) {
            float[] x1 = {0.1f, 0.2f, 0.3f};
            float[] x2 = {0.4f, 0.5f, 0.6f};
            float[] x3 = {-0.2f, 0.7f, 1.1f};
            float[] sum = new float[3];
            for (int scale : new int[] {1, 2, 3}) {
                for (int i = 0; i < 3; i++) {
                    sum[i] = scale * (x1[i] + x2[i] + x3[i]);
                }
                NDArray out =
                        model.forwardFunction()
                                .forward(
                                        new NDList(
                                                m.create(x1, new Shape(1, 3)),
                                                m.create(x2, new Shape(1, 3)),
                                                m.create(x3, new Shape(1, 3))),
                                        List.of(scale));
                assertThat(out.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(out.toFloatArray())
                        .containsExactly(basicMultiLayer(sum, null, 1, false), within(1e-5f));
            }
            assertThat(model.layerNames())
                    .containsExactly(
                            "model",
                            "model.linear0",
                            "model.linear1",
                            "model.linear1_alt",
                            "model.relu",
                            "model.linear2");
            assertThatThrownBy(
                            () ->
                                    model.forwardFunction()
                                            .forward(
                                                    new NDList(
                                                            m.zeros(new Shape(1, 3)),
                                                            m.zeros(new Shape(1, 3)),
                                                            m.zeros(new Shape(1, 3))),
                                                    List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scale")
                    .hasMessageContaining("required");
        }
    }

    private static org.assertj.core.data.Offset<Float> within(float tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }

    @Test
    void trueMultiInputIsM1PlusM234() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model =
                        ImportedModel.load(Fixtures.modelJson("multi_input_true"), m)) {
            float[] x1 = {0.1f, 3.2f, 0.3f};
            float[] x2 = {0.4f, 0.5f, 4.6f};
            float[] x3 = {-0.2f, 0.7f, 1.1f};
            float[] s = new float[3];
            for (int i = 0; i < 3; i++) {
                s[i] = x2[i] + x3[i] + x1[i];
            }
            float[] a = basicMultiLayer(x1, null, 1, false);
            float[] b = basicMultiLayer(s, null, 1, false);
            NDArray out =
                    model.forwardFunction()
                            .forward(
                                    new NDList(
                                            m.create(x1, new Shape(1, 3)),
                                            m.create(x2, new Shape(1, 3)),
                                            m.create(x3, new Shape(1, 3))),
                                    List.of());
            assertThat(out.toFloatArray())
                    .containsExactly(new float[] {a[0] + b[0], a[1] + b[1]}, within(1e-5f));
            assertThat(model.layerType("m234")).isEqualTo(MultiInputModule.TYPE);
            assertThat(model.layerType("m234.model")).isEqualTo(MultiLayerModule.TYPE);
            assertThat(model.layerType("m1.linear1_alt")).isEqualTo("Linear");
        }
    }

    // ------------------------------------------------------------ gradients

    @Test
    void inputGradientFlowsOnToyAndMatchesTheAnalyticGradient() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("toy"), m)) {
            float[] x = {0.3f, -0.2f, 0.9f, 1f, 2f, -3f};
            float[][] w1 = {{-4, -3, -2}, {-1, 0, 1}, {2, 3, 4}};
            float[][] w2 = {{-3, -2, -1}, {0, 1, 2}};
            float[] expected = new float[6];
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 3; j++) {
                    double h = 0;
                    for (int k = 0; k < 3; k++) {
                        h += w1[j][k] * x[n * 3 + k];
                    }
                    if (h <= 0) {
                        continue;
                    }
                    double up = w2[0][j] + w2[1][j];
                    for (int k = 0; k < 3; k++) {
                        expected[n * 3 + k] += (float) (up * w1[j][k]);
                    }
                }
            }
            NDArray grad = inputGradient(model, m.create(x, new Shape(2, 3)), m);
            assertThat(grad.toFloatArray()).containsExactly(expected, within(1e-6f));
            assertParametersHaveNoGradient(model);
        }
    }

    @Test
    void inputGradientOfTinyResNetMatchesFiniteDifferences() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m)) {
            NDArray x = uniform(m, 5, new Shape(1, 3, 64, 64));
            NDArray grad = inputGradient(model, x, m);
            assertThat(grad.getShape()).isEqualTo(x.getShape());
            // directional derivative along the gradient vs a central difference
            NDArray dir = grad.div(grad.norm());
            float eps = 1e-3f;
            ForwardFunction f = model.forwardFunction();
            float up = f.forward(new NDList(x.add(dir.mul(eps))), List.of()).sum().getFloat();
            float down = f.forward(new NDList(x.sub(dir.mul(eps))), List.of()).sum().getFloat();
            double numeric = (up - down) / (2.0 * eps);
            double analytic = grad.norm().getFloat();
            assertThat(analytic).isGreaterThan(0);
            System.out.printf(
                    "tiny_resnet directional derivative: numeric %.6f analytic %.6f%n",
                    numeric, analytic);
            assertThat(Math.abs(numeric - analytic)).isLessThan(0.01 * analytic);
            assertParametersHaveNoGradient(model);
        }
    }

    @Test
    void inputGradientOfTextEmbeddingFlowsThroughTheEmbeddingOutput() throws IOException {
        // ids have no gradient; the embedding output (a layer) can still be differentiated
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("text_emb"), m)) {
            NDArray ids = m.create(new long[] {1, 2, 3, 4, 5, 6, 7}, new Shape(1, 7));
            assertThatThrownBy(
                            () ->
                                    model.forwardFunction()
                                            .forward(
                                                    new NDList(ids.toType(DataType.FLOAT32, false)),
                                                    List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("integer token ids");
            assertThat(model.layer("emb")).isInstanceOf(TorchEmbedding.class);
            assertThat(model.forwardFunction().forward(new NDList(ids), List.of()).getShape())
                    .isEqualTo(new Shape(1, 2));
        }
    }

    /** Deterministic U(0, 1) values. */
    private static NDArray uniform(NDManager m, long seed, Shape shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return m.create(data, shape);
    }

    private static NDArray inputGradient(ImportedModel model, NDArray x, NDManager m) {
        JniUtils.setGradMode(true);
        try {
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            NDArray out = model.forwardFunction().forward(new NDList(leaf), List.of());
            JniUtils.backward((PtNDArray) out.sum(), (PtNDArray) m.ones(new Shape()), false, false);
            return leaf.getGradient().duplicate();
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    private static void assertParametersHaveNoGradient(ImportedModel model) {
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            assertThat(p.getValue().requiresGradient()).as(p.getKey()).isFalse();
            assertThat(p.getValue().getArray().hasGradient()).as(p.getKey()).isFalse();
        }
    }

    // ------------------------------------------------------------ BatchNorm and memory

    @Test
    void torchvisionResNet18RunsFromASeedAndNeverMovesBatchNormStatistics() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model =
                        ImportedModel.load(Fixtures.modelJson("torchvision_resnet18"), m, 7)) {
            List<NDArray> stats = new ArrayList<>();
            List<float[]> before = new ArrayList<>();
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) {
                    stats.add(p.getValue().getArray());
                    before.add(p.getValue().getArray().toFloatArray());
                }
            }
            assertThat(stats).hasSize(2 * 20);
            NDArray x = uniform(m, 6, new Shape(2, 3, 224, 224)).sub(0.5f);
            NDArray first = model.forwardFunction().forward(new NDList(x), List.of());
            assertThat(first.getShape()).isEqualTo(new Shape(2, 1000));
            // even a caller asking DJL for training mode, with gradients on, gets eval semantics
            JniUtils.setGradMode(true);
            NDArray second;
            try {
                second =
                        model.block()
                                .forward(new ParameterStore(m, false), new NDList(x), true)
                                .singletonOrThrow();
            } finally {
                JniUtils.setGradMode(false);
            }
            // the first pass (no gradients) folds BatchNorm into the convolutions: float rounding
            assertThat(Fixtures.maxAbsDiff(first, second)).isLessThan(1e-5);
            for (int i = 0; i < stats.size(); i++) {
                assertThat(stats.get(i).toFloatArray()).containsExactly(before.get(i));
            }
            assertThat(model.layerType("layer1.0")).isEqualTo("BasicBlock");
            assertThat(model.layerNames()).doesNotContain("layer1.0.relu2");
        }
    }

    @Test
    void seededInitialisationIsDeterministicAndPyTorchLike() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel a = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m, 3);
                ImportedModel b = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m, 3);
                ImportedModel c = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m, 4)) {
            float[] wa = weight(a, "layer2.0.conv1");
            assertThat(weight(b, "layer2.0.conv1")).containsExactly(wa);
            assertThat(weight(c, "layer2.0.conv1")).isNotEqualTo(wa);
            // kaiming normal, fan_out = 16 * 3 * 3: std = sqrt(2 / 144)
            double sq = 0;
            for (float v : wa) {
                sq += v * v;
            }
            assertThat(Math.sqrt(sq / wa.length)).isCloseTo(Math.sqrt(2.0 / 144), within(0.02));
            // BatchNorm: weight 1, bias 0, running mean 0, running var 1
            BatchNorm bn = (BatchNorm) a.layer("layer2.0.bn1");
            for (Pair<String, Parameter> p : bn.getDirectParameters()) {
                float expected =
                        p.getKey().equals("gamma") || p.getKey().equals("runningVar") ? 1 : 0;
                for (float v : p.getValue().getArray().toFloatArray()) {
                    assertThat(v).as(p.getKey()).isEqualTo(expected);
                }
            }
        }
    }

    private static org.assertj.core.data.Offset<Double> within(double tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }

    private static float[] weight(ImportedModel model, String layer) {
        for (Pair<String, Parameter> p : model.layer(layer).getDirectParameters()) {
            if (p.getKey().equals("weight")) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no weight in " + layer);
    }

    @Test
    void thousandForwardsInSubManagersAllocateNothingOnTheParameterManager() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m)) {
            NDManager params = model.parameterManager();
            int paramArrays = params.getManagedArrays().size();
            NDArray x = uniform(m, 8, new Shape(1, 3, 32, 32));
            int callerArrays = m.getManagedArrays().size();
            for (int i = 0; i < 1000; i++) {
                try (NDManager call = m.newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(call);
                    model.forwardFunction().forward(new NDList(in), List.of()).sum();
                }
            }
            assertThat(params.getManagedArrays()).hasSize(paramArrays);
            assertThat(m.getManagedArrays()).hasSize(callerArrays);
        }
    }

    @Test
    void closeReleasesTheParametersAndDisablesTheModel() throws IOException {
        try (NDManager m = base.newSubManager()) {
            ImportedModel model = ImportedModel.load(Fixtures.modelJson("toy"), m);
            NDManager params = model.parameterManager();
            assertThat(params.getManagedArrays()).hasSize(4);
            model.close();
            assertThat(params.isOpen()).isFalse();
            assertThatThrownBy(
                            () ->
                                    model.forwardFunction()
                                            .forward(
                                                    new NDList(m.zeros(new Shape(1, 3))),
                                                    List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
    }

    // ------------------------------------------------------------ names and tree

    @Test
    void tinyResNetKeepsPyTorchNamesInExecutionOrder() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("tiny_resnet"));
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m)) {
            List<String> names = model.layerNames();
            assertThat(names.subList(0, 14))
                    .containsExactly(
                            "conv1",
                            "bn1",
                            "relu",
                            "maxpool",
                            "layer1",
                            "layer1.0",
                            "layer1.0.conv1",
                            "layer1.0.bn1",
                            "layer1.0.relu",
                            "layer1.0.conv2",
                            "layer1.0.bn2",
                            "layer1.0.relu2",
                            "layer1.1",
                            "layer1.1.conv1");
            assertThat(names)
                    .containsSubsequence(
                            "layer2.0.bn2",
                            "layer2.0.downsample",
                            "layer2.0.downsample.0",
                            "layer2.0.downsample.1",
                            "layer2.0.relu2",
                            "layer4.1.relu2",
                            "avgpool",
                            "fc");
            assertThat(names).doesNotHaveDuplicates();
            // every leaf module of the JSON is a block, of the DJL type for its PyTorch type
            json.getAsJsonArray("layers")
                    .forEach(
                            e -> {
                                String name = e.getAsJsonObject().get("name").getAsString();
                                String type = e.getAsJsonObject().get("type").getAsString();
                                assertThat(names).contains(name);
                                assertThat(model.layerType(name)).isEqualTo(type);
                                Block b = model.layer(name);
                                switch (type) {
                                    case "Conv2d" -> assertThat(b).isInstanceOf(Conv2d.class);
                                    case "BatchNorm2d" ->
                                            assertThat(b).isInstanceOf(BatchNorm.class);
                                    case "Linear" -> assertThat(b).isInstanceOf(Linear.class);
                                    default -> assertThat(b).isInstanceOf(LambdaBlock.class);
                                }
                            });
            assertThat(model.layerType("layer3")).isEqualTo("Sequential");
            assertThat(model.layerType("layer3.1")).isEqualTo("BasicBlock");
            // the DJL tree carries the same names: walk it by dotted path
            assertThat(model.block().getChildren().keys())
                    .containsExactly(
                            "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3",
                            "layer4", "avgpool", "fc");
            Block walked = model.block();
            for (String part : "layer3.1.conv2".split("\\.")) {
                walked = walked.getChildren().get(part);
            }
            assertThat(walked).isSameAs(model.layer("layer3.1.conv2"));
            // DJL parameter names follow the module path
            assertThat(model.block().getParameters().keys())
                    .contains("layer3_1_conv2_weight", "layer3_1_bn2_runningVar", "fc_bias");
        }
    }

    @Test
    void unknownLayerNamesAreRejectedWithCloseMatches() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m)) {
            assertThatThrownBy(() -> model.layer("layer3.1.conv3"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer3.1.conv3")
                    .hasMessageContaining("tiny_resnet")
                    .hasMessageContaining("close matches")
                    .hasMessageContaining("layer3.1.conv2");
            assertThatThrownBy(() -> model.layer("encoder"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("top-level modules");
        }
    }

    @Test
    void replacedLayersRunInTheNextForwardAndCanBeRestored() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("tiny_resnet"));
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("tiny_resnet"), m)) {
            NDList x = Fixtures.verifyInputs(json, m);
            ForwardFunction f = model.forwardFunction();
            NDArray original = f.forward(x, List.of());
            List<Shape> seen = Collections.synchronizedList(new ArrayList<>());
            Block inner = model.layer("layer3.1.conv2");
            Block outerBlock = model.layer("layer3");
            // wrap a container and a leaf inside it
            Block outer =
                    model.replaceLayer(
                            "layer3",
                            new LambdaBlock(
                                    in -> {
                                        seen.add(in.singletonOrThrow().getShape());
                                        return outerBlock.forward(
                                                new ParameterStore(
                                                        in.singletonOrThrow().getManager(), false),
                                                in,
                                                false);
                                    }));
            assertThat(outer).isSameAs(outerBlock);
            Block old =
                    model.replaceLayer(
                            "layer3.1.conv2",
                            new LambdaBlock(in -> new NDList(in.singletonOrThrow().zerosLike())));
            assertThat(old).isSameAs(inner);
            NDArray changed = f.forward(x, List.of());
            assertThat(seen).containsExactly(new Shape(1, 16, 8, 8));
            assertThat(Fixtures.maxAbsDiff(changed, original)).isGreaterThan(1e-3);
            model.replaceLayer("layer3.1.conv2", old);
            model.replaceLayer("layer3", outer);
            assertThat(model.layer("layer3.1.conv2")).isSameAs(inner);
            // layer3 was handed out, so its pairs now run unfolded: equal up to float rounding
            assertThat(Fixtures.maxAbsDiff(f.forward(x, List.of()), original)).isLessThan(1e-5);
        }
    }

    // ------------------------------------------------------------ argument checks

    @Test
    void forwardArgumentsAreCheckedAgainstTheSignature() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model =
                        ImportedModel.load(Fixtures.modelJson("basic_multilayer"), m)) {
            ForwardFunction f = model.forwardFunction();
            NDArray x = m.zeros(new Shape(2, 3));
            assertThatThrownBy(() -> f.forward(new NDList(x), List.of(x, true, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 3 arguments")
                    .hasMessageContaining("multidim_output=false");
            assertThatThrownBy(() -> f.forward(new NDList(x), List.of(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("additionalArgs[0] (add_input) must be a NDArray");
            assertThatThrownBy(() -> f.forward(new NDList(x), Arrays.asList(null, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("additionalArgs[1] (multidim_output) must be a Boolean");
            assertThatThrownBy(() -> f.forward(new NDList(m.zeros(new Shape(3))), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs[0] (x) must have 2 dimensions")
                    .hasMessageContaining("(3)");
        }
    }

    @Test
    void architectureOnlyJsonNeedsASeed() {
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(
                            () -> ImportedModel.load(Fixtures.modelJson("torchvision_resnet18"), m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("state_dict_file")
                    .hasMessageContaining("seed");
            assertThat(m.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void randomInputsGiveTheSameOutputForBatchedAndSingleCalls() throws IOException {
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(Fixtures.modelJson("small_cnn"), m)) {
            NDArray batch = uniform(m, 11, new Shape(3, 1, 28, 28));
            NDArray all = model.forwardFunction().forward(new NDList(batch), List.of());
            for (int i = 0; i < 3; i++) {
                NDArray one =
                        model.forwardFunction()
                                .forward(new NDList(batch.get(i).expandDims(0)), List.of());
                assertThat(Fixtures.maxAbsDiff(one, all.get(i).expandDims(0))).isLessThan(1e-5);
            }
            assertThat(model.block().getOutputShapes(new Shape[] {new Shape(3, 1, 28, 28)}))
                    .containsExactly(new Shape(3, 10));
        }
    }
}
