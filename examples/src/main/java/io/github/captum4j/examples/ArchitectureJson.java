package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The layer entries of an architecture JSON (fixtures README "models") for the demo models trained
 * in Java, with PyTorch's hyper-parameter names, the pretty-printed file and the {@code .npz} of
 * the weights. Shared by {@link ShapesModel} and {@link InfluenceModel}.
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

    /**
     * Writes a block's parameters, in the block's order, under PyTorch's names as an {@code .npz}
     * (copies: the parameters stay in use).
     *
     * @param file the {@code .npz} file
     * @param net the block
     * @param names the PyTorch name of each parameter, in order
     * @return the shape of every parameter by name, the JSON's {@code parameters}
     * @throws IOException if it cannot be written
     */
    static Map<String, List<Long>> writeWeights(Path file, Block net, String[] names)
            throws IOException {
        Map<String, NDArray> named = new LinkedHashMap<>();
        int i = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            named.put(names[i++], p.getValue().getArray());
        }
        return writeWeights(file, named);
    }

    /**
     * Writes named arrays as an {@code .npz} (copies: the arrays stay open).
     *
     * @param file the {@code .npz} file
     * @param named the arrays by PyTorch name, in the file's order
     * @return the shape of every array by name, the JSON's {@code parameters}
     * @throws IOException if it cannot be written
     */
    static Map<String, List<Long>> writeWeights(Path file, Map<String, NDArray> named)
            throws IOException {
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        try (NDList weights = new NDList()) {
            for (Map.Entry<String, NDArray> e : named.entrySet()) {
                NDArray w = e.getValue().duplicate();
                w.setName(e.getKey());
                weights.add(w);
                shapes.put(e.getKey(), LongStream.of(w.getShape().getShape()).boxed().toList());
            }
            try (OutputStream os = Files.newOutputStream(file)) {
                weights.encode(os, NDList.Encoding.NPZ);
            }
        }
        return shapes;
    }

    /**
     * The architecture JSON of the shapes task's CNN ({@link ShapesTask}): {@code conv1} (1 to 8
     * channels), ReLU, 2x2 max pool, {@code conv2} (8 to 16), ReLU, {@code k x k} max pool,
     * flatten, {@code fc1} (to 32), ReLU, {@code fc2} (to the classes); one float32 input {@code x}
     * of shape {@code (N, 1, SIZE, SIZE)}, its weights in {@code <id>.npz}.
     *
     * @param id the model id
     * @param secondPool k, the second pool's size
     * @param parameters the shape of every parameter by PyTorch name
     * @return the JSON object, to be completed or {@link #write written}
     */
    static Map<String, Object> shapesTaskModel(
            String id, int secondPool, Map<String, ?> parameters) {
        int side = ShapesTask.SIZE / 2 / secondPool;
        List<Object> layers =
                List.of(
                        conv("conv1", 1, 8),
                        relu("relu1"),
                        pool("pool1", 2),
                        conv("conv2", 8, 16),
                        relu("relu2"),
                        pool("pool2", secondPool),
                        linear("fc1", 16 * side * side, 32),
                        relu("relu3"),
                        linear("fc2", 32, ShapesTask.CLASSES));
        String[] chain = {
            "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten(start_dim=1)", "fc1",
            "relu3", "fc2"
        };
        List<Map<String, Object>> graph = new ArrayList<>();
        for (int k = 0; k < chain.length; k++) {
            String in = k == 0 ? "x" : "h" + (k - 1);
            String out = k == chain.length - 1 ? "y" : "h" + k;
            graph.add(Map.of("out", out, "op", chain[k], "in", List.of(in)));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put(
                "inputs",
                List.of(
                        Map.of(
                                "name",
                                "x",
                                "dtype",
                                "float32",
                                "shape",
                                List.of("N", 1, ShapesTask.SIZE, ShapesTask.SIZE))));
        json.put("output_shape", List.of("N", ShapesTask.CLASSES));
        json.put("graph", graph);
        json.put("layers", layers);
        json.put("parameters", parameters);
        json.put("state_dict_file", id + ".npz");
        return json;
    }

    private static Map<String, Object> layer(String name, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("type", type);
        return m;
    }
}
