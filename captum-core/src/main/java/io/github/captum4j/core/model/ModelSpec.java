package io.github.captum4j.core.model;

import io.github.captum4j.core.internal.Json;

import java.io.IOException;
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
 *
 * @param source the file read
 * @param id the model's id
 * @param args the forward signature, in Python's order
 * @param layers the leaf modules by dotted name, in registration order
 * @param graph the SSA graph of the forward pass, or empty
 * @param stateDictFile the weights file named by the JSON, or {@code null} for an
 *     architecture-only file
 * @param attention the attention configuration ({@code n_head}, {@code causal}) of the model's
 *     explicit q/k/v/out attention modules, or {@code null}
 */
record ModelSpec(
        Path source,
        String id,
        List<Arg> args,
        Map<String, Layer> layers,
        List<GraphOp> graph,
        String stateDictFile,
        Map<String, Object> attention) {

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
    record Layer(String name, String type, Map<String, Object> attributes) {

        boolean has(String key) {
            return attributes.get(key) != null;
        }

        long integer(String key) {
            Object e = required(key);
            if (e instanceof List<?> a) {
                if (a.size() == 1) {
                    return asLong(key, a.get(0));
                }
                throw invalid(key, "an integer", e);
            }
            return asLong(key, e);
        }

        long integer(String key, long defaultValue) {
            return has(key) ? integer(key) : defaultValue;
        }

        /** An {@code int} or a list of them (e.g. LayerNorm's {@code normalized_shape}). */
        long[] integers(String key) {
            Object e = required(key);
            if (e instanceof List<?> a) {
                long[] values = new long[a.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = asLong(key, a.get(i));
                }
                return values;
            }
            return new long[] {asLong(key, e)};
        }

        boolean bool(String key, boolean defaultValue) {
            return typed(key, Boolean.class, "a boolean", defaultValue);
        }

        double number(String key, double defaultValue) {
            return typed(key, Number.class, "a number", defaultValue).doubleValue();
        }

        String string(String key, String defaultValue) {
            return typed(key, String.class, "a string", defaultValue);
        }

        /** A list of strings (e.g. the input roles of an attention call). */
        List<String> strings(String key) {
            Object e = required(key);
            List<String> out = new ArrayList<>();
            if (e instanceof List<?> a) {
                for (Object v : a) {
                    if (!(v instanceof String str)) {
                        throw invalid(key, "a list of strings", e);
                    }
                    out.add(str);
                }
                return out;
            }
            throw invalid(key, "a list of strings", e);
        }

        private <T> T typed(String key, Class<T> type, String what, T defaultValue) {
            if (!has(key)) {
                return defaultValue;
            }
            Object v = attributes.get(key);
            if (!type.isInstance(v)) {
                throw invalid(key, what, v);
            }
            return type.cast(v);
        }

        /** An {@code int} or {@code [h, w]} hyper-parameter as a pair (PyTorch's _pair). */
        long[] pair(String key) {
            Object e = required(key);
            if (e instanceof List<?> a) {
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

        private Object required(String key) {
            if (!has(key)) {
                throw new IllegalArgumentException(
                        "layer '" + name + "' (" + type + ") must have attribute '" + key + "'");
            }
            return attributes.get(key);
        }

        private long asLong(String key, Object e) {
            if (e instanceof Long v) {
                return v;
            }
            if (!(e instanceof Double d) || d != Math.rint(d)) {
                throw invalid(key, "an integer", e);
            }
            return (long) (double) d;
        }

        private IllegalArgumentException invalid(String key, String what, Object e) {
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

    /**
     * Reads a model JSON.
     *
     * @param json the file
     * @return the spec
     * @throws IOException if the file cannot be read
     */
    static ModelSpec read(Path json) throws IOException {
        return parse(json, Json.object(Json.read(json), "model JSON " + json));
    }

    private static ModelSpec parse(Path json, Map<String, Object> root) {
        String id = root.containsKey("id") ? string(json, root, "id", "the file") : fileStem(json);
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (Object e : requiredArray(json, root, "layers")) {
            Map<String, Object> o = entry(json, e, "layers");
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
        for (Object e : requiredArray(json, root, "inputs")) {
            args.add(parseArg(json, entry(json, e, "inputs")));
        }
        List<GraphOp> graph = new ArrayList<>();
        if (root.get("graph") != null) {
            for (Object e : requiredArray(json, root, "graph")) {
                Map<String, Object> o = entry(json, e, "graph");
                List<String> in = new ArrayList<>();
                if (o.get("in") != null) {
                    for (Object v : requiredArray(json, o, "in")) {
                        if (!(v instanceof String name)) {
                            throw new IllegalArgumentException(
                                    "model JSON " + json + ": graph[].in must hold strings, got " + o);
                        }
                        in.add(name);
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
                root.get("state_dict_file") != null
                        ? string(json, root, "state_dict_file", "the file")
                        : null;
        return new ModelSpec(
                json,
                id,
                Collections.unmodifiableList(args),
                Collections.unmodifiableMap(layers),
                Collections.unmodifiableList(graph),
                stateDict,
                root.get("attention") instanceof Map<?, ?>
                        ? Json.object(root.get("attention"), "attention")
                        : null);
    }

    private static Arg parseArg(Path json, Map<String, Object> o) {
        String name = string(json, o, "name", "inputs[]");
        boolean optional = Boolean.TRUE.equals(o.get("optional"));
        ArgKind kind;
        int rank = -1;
        String dtype = null;
        if (o.containsKey("dtype") || o.containsKey("shape")) {
            kind = ArgKind.TENSOR;
            if (o.get("shape") != null) {
                rank = requiredArray(json, o, "shape").size();
            }
            if (o.get("dtype") != null) {
                dtype = string(json, o, "dtype", "inputs[]");
            }
        } else if (o.containsKey("type")) {
            String type = string(json, o, "type", "inputs[]");
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
        Object d = o.get("default");
        if (d != null) {
            if (kind == ArgKind.BOOL && d instanceof Boolean b) {
                defaultValue = b;
            } else if (kind == ArgKind.INT && d instanceof Number n) {
                defaultValue = n.longValue();
            } else if (kind == ArgKind.FLOAT && d instanceof Number n) {
                defaultValue = n.doubleValue();
            } else if (kind != ArgKind.TENSOR) {
                throw new IllegalArgumentException(
                        "model JSON "
                                + json
                                + ": input '"
                                + name
                                + "' default must be a "
                                + kind.name().toLowerCase()
                                + ", got "
                                + d);
            }
        }
        return new Arg(name, kind, optional || defaultValue != null, defaultValue, rank, dtype);
    }

    private static Map<String, Object> entry(Path json, Object e, String array) {
        return Json.object(e, "model JSON " + json + ": every entry of " + array);
    }

    private static String string(Path json, Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof String s)) {
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
        return s;
    }

    private static List<?> requiredArray(Path json, Map<String, Object> o, String key) {
        if (!(o.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException(
                    "model JSON " + json + " must have an array '" + key + "'");
        }
        return list;
    }

    private static String fileStem(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
