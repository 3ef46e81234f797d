package io.github.captum4j.examples;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer entries of an architecture JSON (fixtures README "models") for the demo models trained
 * in Java, with PyTorch's hyper-parameter names, and the pretty-printed file. Shared by {@link
 * ShapesModel} and {@link InfluenceModel}.
 */
final class ArchitectureJson {

    private ArchitectureJson() {}

    /** A 3x3 {@code Conv2d}, stride 1, padding 1, with bias. */
    static Map<String, Object> conv(String name, int in, int out) {
        Map<String, Object> m = layer(name, "Conv2d");
        m.put("in_channels", in);
        m.put("out_channels", out);
        m.put("kernel_size", List.of(3, 3));
        m.put("stride", List.of(1, 1));
        m.put("padding", List.of(1, 1));
        m.put("dilation", List.of(1, 1));
        m.put("groups", 1);
        m.put("bias", true);
        return m;
    }

    /** A {@code k x k} {@code MaxPool2d} with stride {@code k}. */
    static Map<String, Object> pool(String name, int k) {
        Map<String, Object> m = layer(name, "MaxPool2d");
        m.put("kernel_size", k);
        m.put("stride", k);
        m.put("padding", 0);
        m.put("dilation", 1);
        m.put("ceil_mode", false);
        return m;
    }

    /** A {@code Linear} with bias. */
    static Map<String, Object> linear(String name, int in, int out) {
        Map<String, Object> m = layer(name, "Linear");
        m.put("in_features", in);
        m.put("out_features", out);
        m.put("bias", true);
        return m;
    }

    /** A {@code ReLU}, not in place. */
    static Map<String, Object> relu(String name) {
        Map<String, Object> m = layer(name, "ReLU");
        m.put("inplace", false);
        return m;
    }

    /**
     * Writes the JSON, pretty-printed.
     *
     * @param file where
     * @param json the architecture
     * @return {@code file}
     * @throws IOException if it cannot be written
     */
    static Path write(Path file, Map<String, Object> json) throws IOException {
        Files.writeString(
                file,
                new GsonBuilder().setPrettyPrinting().create().toJson(json),
                StandardCharsets.UTF_8);
        return file;
    }

    private static Map<String, Object> layer(String name, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        return m;
    }
}
