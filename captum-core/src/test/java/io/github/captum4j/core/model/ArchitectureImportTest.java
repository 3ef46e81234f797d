package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** ResNet variants and rejected architectures, from JSON files written by the tests. */
class ArchitectureImportTest {

    private static final Gson GSON = new Gson();

    private static NDManager base;

    @TempDir Path dir;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    // ------------------------------------------------------------ torchvision naming

    @Test
    void tinyResNetWithTorchvisionReluReuseGivesTheSameOutput() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("tiny_resnet"));
        JsonArray layers = new JsonArray();
        for (JsonElement e : json.getAsJsonArray("layers")) {
            if (!e.getAsJsonObject().get("name").getAsString().endsWith(".relu2")) {
                layers.add(e);
            }
        }
        json.add("layers", layers);
        for (JsonElement e : json.getAsJsonArray("graph")) {
            JsonObject op = e.getAsJsonObject();
            op.addProperty("op", op.get("op").getAsString().replace(".relu2", ".relu"));
        }
        json.addProperty("id", "tiny_resnet_torchvision");
        Files.copy(
                Fixtures.modelJson("tiny_resnet").resolveSibling("tiny_resnet.npz"),
                dir.resolve("tiny_resnet.npz"));
        Path file = write(json, "tiny_resnet_torchvision.json");
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(file, m)) {
            NDArray out =
                    model.forwardFunction().forward(Fixtures.verifyInputs(json, m), List.of());
            assertThat(Fixtures.maxAbsDiff(out, Fixtures.verifyOutput(json, m)))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(model.layerNames()).noneMatch(n -> n.endsWith("relu2"));
            assertThat(model.layer("layer2.0").getChildren().keys())
                    .containsExactly("conv1", "bn1", "relu", "conv2", "bn2", "downsample");
        }
    }

    @Test
    void aGraphThatContradictsTheStructureIsRejected() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("tiny_resnet"));
        // the fixture has relu2 modules, but this graph claims the block reuses relu
        for (JsonElement e : json.getAsJsonArray("graph")) {
            JsonObject op = e.getAsJsonObject();
            if (op.get("op").getAsString().equals("layer3.1.relu2")) {
                op.addProperty("op", "layer3.1.relu");
            }
        }
        Files.copy(
                Fixtures.modelJson("tiny_resnet").resolveSibling("tiny_resnet.npz"),
                dir.resolve("tiny_resnet.npz"));
        Path file = write(json, "contradiction.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("graph does not match")
                    .hasMessageContaining("'layer3.1.relu' in the graph but 'layer3.1.relu2'");
            assertThat(m.getManagedArrays()).isEmpty();
        }
    }

    // ------------------------------------------------------------ Bottleneck

    @ParameterizedTest(name = "relu naming {0}, graph {1}")
    @CsvSource({"torchvision, true", "torchvision, false", "distinct, true", "distinct, false"})
    void bottleneckResNetMatchesAHandWrittenForwardPass(String naming, boolean withGraph)
            throws IOException {
        boolean distinct = naming.equals("distinct");
        Path file = write(bottleneckResNet(distinct, withGraph), "bottleneck.json");
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(file, m, 42)) {
            assertThat(model.layerType("layer1.0")).isEqualTo("Bottleneck");
            assertThat(model.layer("layer1.0").getChildren().keys())
                    .containsExactlyElementsOf(
                            distinct
                                    ? List.of(
                                            "conv1",
                                            "bn1",
                                            "relu",
                                            "conv2",
                                            "bn2",
                                            "relu2",
                                            "conv3",
                                            "bn3",
                                            "downsample",
                                            "relu3")
                                    : List.of(
                                            "conv1",
                                            "bn1",
                                            "relu",
                                            "conv2",
                                            "bn2",
                                            "conv3",
                                            "bn3",
                                            "downsample"));
            randomiseBatchNorm(model, m);
            NDArray x = uniform(m, 3, new Shape(2, 3, 16, 16));
            NDArray out = model.forwardFunction().forward(new NDList(x), List.of());
            NDArray expected = referenceBottleneckResNet(model, x, distinct);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 5));
            assertThat(Fixtures.maxAbsDiff(out, expected)).isLessThan(1e-5);
        }
    }

    /** Gives every BatchNorm non-trivial statistics (in place), so the test sees their use. */
    private static void randomiseBatchNorm(ImportedModel model, NDManager m) {
        SplittableRandom random = new SplittableRandom(9);
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            String key = p.getKey();
            if (key.endsWith("gamma")
                    || key.endsWith("beta")
                    || key.endsWith("runningMean")
                    || key.endsWith("runningVar")) {
                NDArray a = p.getValue().getArray();
                float[] v = new float[Math.toIntExact(a.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] =
                            (float)
                                    (key.endsWith("Var")
                                            ? 0.5 + random.nextDouble()
                                            : random.nextDouble() - 0.3);
                }
                a.set(v);
            }
        }
    }

    private static NDArray referenceBottleneckResNet(ImportedModel m, NDArray x, boolean distinct) {
        NDArray h = relu(bn(m, "bn1", conv(m, "conv1", x)));
        h = Pool.maxPool2d(h, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        for (String block : new String[] {"layer1.0", "layer1.1", "layer2.0"}) {
            String p = block + ".";
            NDArray o = relu(bn(m, p + "bn1", conv(m, p + "conv1", h)));
            o = relu(bn(m, p + "bn2", conv(m, p + "conv2", o)));
            o = bn(m, p + "bn3", conv(m, p + "conv3", o));
            NDArray identity =
                    m.layerNames().contains(p + "downsample")
                            ? bn(m, p + "downsample.1", conv(m, p + "downsample.0", h))
                            : h;
            h = relu(o.add(identity));
        }
        long hw = h.getShape().get(2) * h.getShape().get(3);
        NDArray pooled = h.sum(new int[] {2, 3}).div(hw);
        return pooled.matMul(param(m, "fc", "weight").transpose()).add(param(m, "fc", "bias"));
    }

    private static NDArray conv(ImportedModel m, String name, NDArray x) {
        Conv2d c = (Conv2d) m.layer(name);
        return Conv2d.conv2d(x, param(m, name, "weight"), null, c.getStride(), c.getPadding())
                .singletonOrThrow();
    }

    private static NDArray bn(ImportedModel m, String name, NDArray x) {
        long c = x.getShape().get(1);
        Shape s = new Shape(1, c, 1, 1);
        NDArray mean = param(m, name, "runningMean").reshape(s);
        NDArray std = param(m, name, "runningVar").add(1e-5f).sqrt().reshape(s);
        return x.sub(mean)
                .div(std)
                .mul(param(m, name, "gamma").reshape(s))
                .add(param(m, name, "beta").reshape(s));
    }

    private static NDArray relu(NDArray x) {
        return x.maximum(0f);
    }

    private static NDArray param(ImportedModel m, String layer, String name) {
        Block b = m.layer(layer);
        for (Pair<String, Parameter> p : b.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError(layer + " has no " + name);
    }

    /**
     * A small torchvision-style ResNet with Bottleneck units: stem 3->4, layer1 = [B(4, 2) with
     * downsample to 8, B(8, 2)], layer2 = [B(8, 4, stride 2) with downsample to 16], fc 16->5.
     */
    private static JsonObject bottleneckResNet(boolean distinctRelus, boolean withGraph) {
        JsonArray layers = new JsonArray();
        JsonArray graph = new JsonArray();
        layers.add(conv("conv1", 3, 4, 3, 1, 1));
        layers.add(bn("bn1", 4));
        layers.add(leaf("relu", "ReLU"));
        JsonObject pool = leaf("maxpool", "MaxPool2d");
        pool.addProperty("kernel_size", 3);
        pool.addProperty("stride", 2);
        pool.addProperty("padding", 1);
        pool.addProperty("dilation", 1);
        pool.addProperty("ceil_mode", false);
        layers.add(pool);
        op(graph, "t0", "conv1", "x");
        op(graph, "t1", "bn1", "t0");
        op(graph, "t2", "relu", "t1");
        op(graph, "t3", "maxpool", "t2");
        String cur = "t3";
        int[][] units = {{1, 0, 4, 2, 1}, {1, 1, 8, 2, 1}, {2, 0, 8, 4, 2}};
        for (int[] u : units) {
            String p = "layer" + u[0] + "." + u[1] + ".";
            String v = "l" + u[0] + "_" + u[1];
            int in = u[2];
            int width = u[3];
            int out = width * 4;
            int stride = u[4];
            String r2 = distinctRelus ? "relu2" : "relu";
            String r3 = distinctRelus ? "relu3" : "relu";
            layers.add(conv(p + "conv1", in, width, 1, 1, 0));
            layers.add(bn(p + "bn1", width));
            layers.add(conv(p + "conv2", width, width, 3, stride, 1));
            layers.add(bn(p + "bn2", width));
            layers.add(conv(p + "conv3", width, out, 1, 1, 0));
            layers.add(bn(p + "bn3", out));
            layers.add(leaf(p + "relu", "ReLU"));
            boolean downsample = stride != 1 || in != out;
            if (downsample) {
                layers.add(conv(p + "downsample.0", in, out, 1, stride, 0));
                layers.add(bn(p + "downsample.1", out));
            }
            if (distinctRelus) {
                layers.add(leaf(p + "relu2", "ReLU"));
                layers.add(leaf(p + "relu3", "ReLU"));
            }
            op(graph, v + "a", p + "conv1", cur);
            op(graph, v + "b", p + "bn1", v + "a");
            op(graph, v + "c", p + "relu", v + "b");
            op(graph, v + "d", p + "conv2", v + "c");
            op(graph, v + "e", p + "bn2", v + "d");
            op(graph, v + "f", p + r2, v + "e");
            op(graph, v + "g", p + "conv3", v + "f");
            op(graph, v + "h", p + "bn3", v + "g");
            String identity = cur;
            if (downsample) {
                op(graph, v + "ds0", p + "downsample.0", cur);
                op(graph, v + "ds1", p + "downsample.1", v + "ds0");
                identity = v + "ds1";
            }
            op(graph, v + "sum", "add", v + "h", identity);
            op(graph, v, p + r3, v + "sum");
            cur = v;
        }
        JsonObject avg = leaf("avgpool", "AdaptiveAvgPool2d");
        JsonArray size = new JsonArray();
        size.add(1);
        size.add(1);
        avg.add("output_size", size);
        layers.add(avg);
        JsonObject fc = leaf("fc", "Linear");
        fc.addProperty("in_features", 16);
        fc.addProperty("out_features", 5);
        fc.addProperty("bias", true);
        layers.add(fc);
        op(graph, "p", "avgpool", cur);
        op(graph, "f", "flatten(start_dim=1)", "p");
        op(graph, "y", "fc", "f");

        JsonObject json = new JsonObject();
        json.addProperty("id", "bottleneck_resnet");
        JsonArray inputs = new JsonArray();
        JsonObject x = new JsonObject();
        x.addProperty("name", "x");
        x.add("shape", GSON.toJsonTree(new Object[] {"N", 3, 16, 16}));
        x.addProperty("dtype", "float32");
        inputs.add(x);
        json.add("inputs", inputs);
        json.add("layers", layers);
        if (withGraph) {
            json.add("graph", graph);
        }
        return json;
    }

    private static JsonObject leaf(String name, String type) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("type", type);
        return o;
    }

    private static JsonObject conv(String name, int in, int out, int k, int stride, int pad) {
        JsonObject o = leaf(name, "Conv2d");
        o.addProperty("in_channels", in);
        o.addProperty("out_channels", out);
        o.add("kernel_size", GSON.toJsonTree(new int[] {k, k}));
        o.add("stride", GSON.toJsonTree(new int[] {stride, stride}));
        o.add("padding", GSON.toJsonTree(new int[] {pad, pad}));
        o.add("dilation", GSON.toJsonTree(new int[] {1, 1}));
        o.addProperty("groups", 1);
        o.addProperty("bias", false);
        return o;
    }

    private static JsonObject bn(String name, int c) {
        JsonObject o = leaf(name, "BatchNorm2d");
        o.addProperty("num_features", c);
        o.addProperty("eps", 1e-5);
        o.addProperty("momentum", 0.1);
        o.addProperty("affine", true);
        return o;
    }

    private static void op(JsonArray graph, String out, String op, String... in) {
        JsonObject o = new JsonObject();
        o.addProperty("out", out);
        o.addProperty("op", op);
        o.add("in", GSON.toJsonTree(in));
        graph.add(o);
    }

    // ------------------------------------------------------------ rejections

    @Test
    void unsupportedLeafTypesAreRejectedWithTheSupportedList() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("toy"));
        json.getAsJsonArray("layers").get(1).getAsJsonObject().addProperty("type", "PReLU");
        json.remove("state_dict_file");
        Path file = write(json, "gelu.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer 'relu' has type 'PReLU'")
                    .hasMessageContaining("supported leaf types")
                    .hasMessageContaining("Conv2d");
        }
    }

    @Test
    void unknownGraphFunctionsAreRejectedWithWhatIsSupported() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("toy"));
        JsonArray graph = json.getAsJsonArray("graph");
        // y = median(lin2(relu(lin1(x))), x): a function the graph executor does not know
        graph.get(2).getAsJsonObject().addProperty("out", "t2");
        JsonObject add = new JsonObject();
        add.addProperty("out", "y");
        add.addProperty("op", "median");
        add.add("in", GSON.toJsonTree(new String[] {"t2", "x"}));
        graph.add(add);
        Path file = write(json, "skip.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("graph node 'y'")
                    .hasMessageContaining("'median'")
                    .hasMessageContaining("supported function");
        }
    }

    @Test
    void unknownContainersAreRejected() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("toy"));
        for (JsonElement e : json.getAsJsonArray("layers")) {
            JsonObject l = e.getAsJsonObject();
            l.addProperty("name", "encoder." + l.get("name").getAsString());
        }
        json.remove("graph");
        json.remove("state_dict_file");
        Path file = write(json, "encoder.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a supported architecture")
                    .hasMessageContaining("[encoder]");
        }
    }

    @Test
    void stateDictsThatDoNotFitAreRejectedAndReleased() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("toy"));
        JsonObject lin1 = json.getAsJsonArray("layers").get(0).getAsJsonObject();
        lin1.addProperty("in_features", 4);
        Files.copy(Fixtures.modelJson("toy").resolveSibling("toy.npz"), dir.resolve("toy.npz"));
        Path file = write(json, "wide_toy.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'lin1.weight' must have shape (3, 4)")
                    .hasMessageContaining("got (3, 3)");
            assertThat(m.getManagedArrays()).isEmpty();
        }
    }

    @Test
    void stateDictsWithExtraEntriesAreRejected() throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson("toy"));
        JsonArray layers = json.getAsJsonArray("layers");
        layers.remove(2);
        json.getAsJsonArray("graph").remove(2);
        json.getAsJsonArray("graph").get(1).getAsJsonObject().addProperty("out", "y");
        Files.copy(Fixtures.modelJson("toy").resolveSibling("toy.npz"), dir.resolve("toy.npz"));
        Path file = write(json, "short_toy.json");
        try (NDManager m = base.newSubManager()) {
            assertThatThrownBy(() -> ImportedModel.load(file, m))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unexpected entries [lin2.weight, lin2.bias]");
        }
    }

    // ------------------------------------------------------------ helpers

    private Path write(JsonObject json, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, GSON.toJson(json), StandardCharsets.UTF_8);
        return file;
    }

    private static NDArray uniform(NDManager m, long seed, Shape shape) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return m.create(data, shape);
    }
}
