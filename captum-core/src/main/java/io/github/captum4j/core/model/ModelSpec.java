package io.github.captum4j.core.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The architecture file of a model in the fixture format: its id, forward signature ({@code
 * inputs}), leaf modules ({@code layers}, PyTorch dotted names in registration order), the SSA
 * {@code graph} of the forward pass and the name of the weights file.
 */
final class ModelSpec {

    /** Kind of one forward argument. */
    enum ArgKind {
        TENSOR,
        BOOL,
        INT,
        FLOAT
    }

    /**
     * One forward argument, in the order of the Python signature.
     *
     * @param name the Python argument name
     * @param kind tensor or scalar kind
     * @param optional whether the argument may be omitted ({@code None} or its default)
     * @param defaultValue the default of an optional scalar, or {@code null}
     * @param rank the tensor rank from the JSON shape, or -1 if unknown or not a tensor
     * @param dtype the tensor dtype from the JSON ("float32", "int64"), or {@code null}
     */
    record Arg(
            String name,
            ArgKind kind,
            boolean optional,
            Object defaultValue,
            int rank,
            String dtype) {}

    /**
     * One leaf module.
     *
     * @param name the dotted PyTorch name
     * @param type the PyTorch class name, e.g. {@code Conv2d}
     * @param attributes the hyper-parameters as written in the JSON
     */
    record Layer(String name, String type, JsonObject attributes) {

        boolean has(String key) {
            JsonElement e = attributes.get(key);
            return e != null && !e.isJsonNull();
        }

        long integer(String key) {
            JsonElement e = required(key);
            if (e.isJsonArray()) {
                JsonArray a = e.getAsJsonArray();
                if (a.size() == 1) {
                    return a.get(0).getAsLong();
                }
                throw invalid(key, "an integer", e);
            }
            return asLong(key, e);
        }

        long integer(String key, long defaultValue) {
            return has(key) ? integer(key) : defaultValue;
        }

        boolean bool(String key, boolean defaultValue) {
            if (!has(key)) {
                return defaultValue;
            }
            JsonElement e = attributes.get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw invalid(key, "a boolean", e);
            }
            return e.getAsBoolean();
        }

        double number(String key, double defaultValue) {
            if (!has(key)) {
                return defaultValue;
            }
            JsonElement e = attributes.get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw invalid(key, "a number", e);
            }
            return e.getAsDouble();
        }

        /** An {@code int} or {@code [h, w]} hyper-parameter as a pair (PyTorch's _pair). */
        long[] pair(String key) {
            JsonElement e = required(key);
            if (e.isJsonArray()) {
                JsonArray a = e.getAsJsonArray();
                if (a.size() == 1) {
                    long v = asLong(key, a.get(0));
                    return new long[] {v, v};
                }
                if (a.size() != 2) {
                    throw invalid(key, "an integer or a pair of integers", e);
                }
                return new long[] {asLong(key, a.get(0)), asLong(key, a.get(1))};
            }
            long v = asLong(key, e);
            return new long[] {v, v};
        }

        long[] pair(String key, long[] defaultValue) {
            return has(key) ? pair(key) : defaultValue;
        }

        private JsonElement required(String key) {
            if (!has(key)) {
                throw new IllegalArgumentException(
                        "layer '" + name + "' (" + type + ") must have attribute '" + key + "'");
            }
            return attributes.get(key);
        }

        private long asLong(String key, JsonElement e) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw invalid(key, "an integer", e);
            }
            double d = e.getAsDouble();
            if (d != Math.rint(d)) {
                throw invalid(key, "an integer", e);
            }
            return (long) d;
        }

        private IllegalArgumentException invalid(String key, String what, JsonElement e) {
            return new IllegalArgumentException(
                    "layer '"
                            + name
                            + "' ("
                            + type
                            + ") attribute '"
                            + key
                            + "' must be "
                            + what
                            + ", got "
                            + e);
        }
    }

    /**
     * One SSA step of the forward pass.
     *
     * @param out the variable it defines
     * @param op a module name or a function description such as {@code flatten(start_dim=1)}
     * @param in the variables it reads
     */
    record GraphOp(String out, String op, List<String> in) {}

    private final Path source;
    private final String id;
    private final List<Arg> args;
    private final Map<String, Layer> layers;
    private final List<GraphOp> graph;
    private final String stateDictFile;
    private final JsonObject attention;

    private ModelSpec(
            Path source,
            String id,
            List<Arg> args,
            Map<String, Layer> layers,
            List<GraphOp> graph,
            String stateDictFile,
            JsonObject attention) {
        this.source = source;
        this.id = id;
        this.args = args;
        this.layers = layers;
        this.graph = graph;
        this.stateDictFile = stateDictFile;
        this.attention = attention;
    }

    /**
     * Reads a model JSON.
     *
     * @param json the file
     * @return the spec
     * @throws IOException if the file cannot be read
     */
    static ModelSpec read(Path json) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement e = JsonParser.parseReader(reader);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException(
                        "model JSON " + json + " must hold an object, got " + e);
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "model JSON " + json + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            return parse(json, root);
        } catch (IllegalStateException | ClassCastException | UnsupportedOperationException e) {
            // Gson's getAsX on an element of the wrong kind
            throw new IllegalArgumentException(
                    "model JSON " + json + " is malformed: " + e.getMessage(), e);
        }
    }

    private static ModelSpec parse(Path json, JsonObject root) {
        String id = root.has("id") ? root.get("id").getAsString() : fileStem(json);
        JsonArray layerArray = requiredArray(json, root, "layers");
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (JsonElement e : layerArray) {
            JsonObject o = e.getAsJsonObject();
            String name = string(json, o, "name", "layers[]");
            String type = string(json, o, "type", "layers[]");
            if (name.isEmpty() || name.startsWith(".") || name.endsWith(".")) {
                throw new IllegalArgumentException(
                        "model JSON "
                                + json
                                + ": layer name must be a dotted path, got '"
                                + name
                                + "'");
            }
            if (layers.put(name, new Layer(name, type, o)) != null) {
                throw new IllegalArgumentException(
                        "model JSON " + json + ": layer '" + name + "' is listed twice");
            }
        }
        List<Arg> args = new ArrayList<>();
        for (JsonElement e : requiredArray(json, root, "inputs")) {
            args.add(parseArg(json, e.getAsJsonObject()));
        }
        List<GraphOp> graph = new ArrayList<>();
        if (root.has("graph") && !root.get("graph").isJsonNull()) {
            for (JsonElement e : root.getAsJsonArray("graph")) {
                JsonObject o = e.getAsJsonObject();
                List<String> in = new ArrayList<>();
                if (o.has("in")) {
                    for (JsonElement v : o.getAsJsonArray("in")) {
                        in.add(v.getAsString());
                    }
                }
                graph.add(
                        new GraphOp(
                                string(json, o, "out", "graph[]"),
                                string(json, o, "op", "graph[]").trim(),
                                Collections.unmodifiableList(in)));
            }
        }
        String stateDict =
                root.has("state_dict_file") && !root.get("state_dict_file").isJsonNull()
                        ? root.get("state_dict_file").getAsString()
                        : null;
        return new ModelSpec(
                json,
                id,
                Collections.unmodifiableList(args),
                Collections.unmodifiableMap(layers),
                Collections.unmodifiableList(graph),
                stateDict,
                root.has("attention") && root.get("attention").isJsonObject()
                        ? root.getAsJsonObject("attention")
                        : null);
    }

    private static Arg parseArg(Path json, JsonObject o) {
        String name = string(json, o, "name", "inputs[]");
        boolean optional = o.has("optional") && o.get("optional").getAsBoolean();
        ArgKind kind;
        int rank = -1;
        String dtype = null;
        if (o.has("dtype") || o.has("shape")) {
            kind = ArgKind.TENSOR;
            if (o.has("shape")) {
                rank = o.getAsJsonArray("shape").size();
            }
            if (o.has("dtype")) {
                dtype = o.get("dtype").getAsString();
            }
        } else if (o.has("type")) {
            String type = o.get("type").getAsString();
            switch (type) {
                case "bool":
                    kind = ArgKind.BOOL;
                    break;
                case "int":
                    kind = ArgKind.INT;
                    break;
                case "float":
                    kind = ArgKind.FLOAT;
                    break;
                default:
                    throw new IllegalArgumentException(
                            "model JSON "
                                    + json
                                    + ": input '"
                                    + name
                                    + "' type must be bool, int or float, got '"
                                    + type
                                    + "'");
            }
        } else {
            throw new IllegalArgumentException(
                    "model JSON " + json + ": input '" + name + "' must have a dtype or a type");
        }
        Object defaultValue = null;
        if (o.has("default") && !o.get("default").isJsonNull()) {
            JsonElement d = o.get("default");
            if (kind == ArgKind.BOOL) {
                defaultValue = d.getAsBoolean();
            } else if (kind == ArgKind.INT) {
                defaultValue = d.getAsLong();
            } else if (kind == ArgKind.FLOAT) {
                defaultValue = d.getAsDouble();
            }
        }
        return new Arg(name, kind, optional || defaultValue != null, defaultValue, rank, dtype);
    }

    private static String string(Path json, JsonObject o, String key, String where) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(
                    "model JSON "
                            + json
                            + ": every entry of "
                            + where
                            + " must have a string '"
                            + key
                            + "', got "
                            + o);
        }
        return e.getAsString();
    }

    private static JsonArray requiredArray(Path json, JsonObject root, String key) {
        if (!root.has(key) || !root.get(key).isJsonArray()) {
            throw new IllegalArgumentException(
                    "model JSON " + json + " must have an array '" + key + "'");
        }
        return root.getAsJsonArray(key);
    }

    private static String fileStem(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    Path source() {
        return source;
    }

    String id() {
        return id;
    }

    List<Arg> args() {
        return args;
    }

    Map<String, Layer> layers() {
        return layers;
    }

    List<GraphOp> graph() {
        return graph;
    }

    /** The weights file named by the JSON, or {@code null} for an architecture-only file. */
    String stateDictFile() {
        return stateDictFile;
    }

    /**
     * The attention configuration ({@code n_head}, {@code causal}) of the model's explicit q/k/v/out
     * attention modules, or {@code null}.
     */
    JsonObject attention() {
        return attention;
    }
}
