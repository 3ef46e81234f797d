package io.github.captum4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.core.testing.JsonTensors;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fixture model files and their JSON tensors, for the model tests. */
final class Fixtures {

    private Fixtures() {}

    /** A model JSON in {@code src-test-resources/models}. */
    static Path modelJson(String id) {
        String root = System.getProperty("captum4j.fixtures", "../src-test-resources");
        return Path.of(root, "models", id + ".json");
    }

    /** The whole JSON object of a file. */
    static JsonObject read(Path json) throws IOException {
        try (Reader r = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    /** The {@code torchscript.verify_input} tensors of a model JSON. */
    static NDList verifyInputs(JsonObject model, NDManager manager) {
        NDList list = new NDList();
        for (JsonElement e : model.getAsJsonObject("torchscript").getAsJsonArray("verify_input")) {
            list.add(tensor(e.getAsJsonObject(), manager));
        }
        return list;
    }

    /** The {@code torchscript.verify_output} tensor of a model JSON. */
    static NDArray verifyOutput(JsonObject model, NDManager manager) {
        return tensor(
                model.getAsJsonObject("torchscript").getAsJsonObject("verify_output"), manager);
    }

    /** A fixture tensor {@code {"shape", "dtype", "data"}}. */
    static NDArray tensor(JsonObject t, NDManager manager) {
        return JsonTensors.tensor(t, manager);
    }

    /** Largest absolute difference; shapes must match. */
    static double maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shape " + a.getShape() + " != " + b.getShape());
        }
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs((double) x[i] - y[i]));
        }
        return max;
    }
}
