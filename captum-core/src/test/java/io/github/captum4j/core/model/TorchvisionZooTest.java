package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;


import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * torchvision MobileNetV2 and ResNet-50 imported from the architecture JSON the export tool wrote,
 * with every parameter set by the formula of {@code tools/zoo_reference.py}: the forward pass
 * reproduces PyTorch's. (VGG11's JSON is committed too; its 133M parameters make it too slow for a
 * unit test.)
 */
class TorchvisionZooTest {

    private static NDManager base;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "torchvision_mobilenet_v2",
        "torchvision_resnet50"
    })
    void importsAndReproducesPyTorch(String id, @TempDir Path dir)
            throws IOException {
        Path zoo = Fixtures.modelJson("zoo").resolveSibling("zoo");
        JsonObject spec = Fixtures.read(zoo.resolve(id + ".json"));
        JsonObject reference =
                Fixtures.read(zoo.resolve("torchvision_zoo_reference.json"))
                        .getAsJsonObject("outputs")
                        .getAsJsonObject(id);
        try (NDManager m = base.newSubManager()) {
            writeFormulaWeights(spec, dir.resolve(id + ".npz"), m);
            spec.addProperty("state_dict_file", id + ".npz");
            Path json = dir.resolve(id + ".json");
            Files.writeString(json, spec.toString(), StandardCharsets.UTF_8);
            try (ImportedModel model = ImportedModel.load(json, m)) {
                NDArray x = formulaInput(m, new Shape(1, 3, 64, 64));
                NDArray out = model.forwardFunction().forward(new NDList(x), List.of());
                NDArray expected = Fixtures.tensor(withDtype(reference), m);
                double scale = expected.abs().max().getFloat();
                assertThat(Fixtures.maxAbsDiff(out, expected) / scale).isLessThan(1e-4);
            }
        }
    }

    private static JsonObject withDtype(JsonObject t) {
        JsonObject copy = t.deepCopy();
        copy.addProperty("dtype", "float32");
        return copy;
    }

    /** The formula of tools/zoo_reference.py. */
    private static void writeFormulaWeights(JsonObject spec, Path file, NDManager m)
            throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, JsonElement> e : spec.getAsJsonObject("parameters").entrySet()) {
            JsonArray dims = e.getValue().getAsJsonArray();
            long[] shape = new long[dims.size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
                n *= (int) shape[i];
            }
            String name = e.getKey();
            int k = 0;
            for (char c : name.toCharArray()) {
                k += c;
            }
            k %= 97;
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                double b = Math.sin(i * 0.618 + k);
                double value;
                if (leaf.equals("running_var")) {
                    value = 1.0 + 0.5 * b * b;
                } else if (leaf.equals("running_mean") || leaf.equals("bias")) {
                    value = 0.1 * b;
                } else if (leaf.equals("weight") && shape.length == 1) {
                    value = 1.0 + 0.1 * b;
                } else {
                    value = b * Math.sqrt(3.0 / (n / shape[0]));
                }
                v[i] = (float) value;
            }
            NDArray a = m.create(v, new Shape(shape));
            a.setName(name);
            list.add(a);
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            list.encode(os, NDList.Encoding.NPZ);
        }
    }

    private static NDArray formulaInput(NDManager m, Shape shape) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        return m.create(v, shape);
    }
}
