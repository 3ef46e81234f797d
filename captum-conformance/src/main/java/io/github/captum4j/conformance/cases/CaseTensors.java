package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * The fixtures' tensor form {@code {"shape": [...], "dtype": "float32"|"int64"|"bool", "data":
 * [flat, row-major]}} read into NDArrays. Float values are parsed straight to {@code float} (the
 * files hold the shortest decimal that round-trips to the exact float32), never through {@code
 * double}, so no value is rounded twice.
 *
 * <p>Not API: may change without notice.
 */
public final class CaseTensors {

    private CaseTensors() {}

    /**
     * Whether a JSON value has the tensor form (an object with {@code shape}, {@code dtype} and
     * {@code data}).
     *
     * @param value any JSON value, possibly {@code null}
     * @return {@code true} for a tensor
     */
    public static boolean isTensor(JsonElement value) {
        if (value == null || !value.isJsonObject()) {
            return false;
        }
        JsonObject o = value.getAsJsonObject();
        return o.has("shape") && o.has("dtype") && o.has("data");
    }

    /**
     * Reads one tensor.
     *
     * @param value the JSON tensor
     * @param manager where the array is created
     * @param where the value's place in the case, for messages (e.g. {@code inputs[0]})
     * @return the array, of the stated shape and data type
     * @throws IllegalArgumentException if the value is not a well-formed tensor
     */
    public static NDArray read(JsonElement value, NDManager manager, String where) {
        if (!isTensor(value)) {
            throw new IllegalArgumentException(
                    where
                            + " must be a tensor {\"shape\", \"dtype\", \"data\"}, got "
                            + CaseArgs.describe(value));
        }
        JsonObject o = value.getAsJsonObject();
        Shape shape = shape(o.get("shape"), where);
        JsonElement dataElement = o.get("data");
        if (!dataElement.isJsonArray()) {
            throw new IllegalArgumentException(
                    where + ".data must be a flat array, got " + CaseArgs.describe(dataElement));
        }
        JsonArray data = dataElement.getAsJsonArray();
        if (data.size() != shape.size()) {
            throw new IllegalArgumentException(
                    where
                            + ".data must hold "
                            + shape.size()
                            + " values for shape "
                            + shape
                            + ", got "
                            + data.size());
        }
        String dtype = o.get("dtype").isJsonPrimitive() ? o.get("dtype").getAsString() : "";
        switch (dtype) {
            case "float32":
                return manager.create(floats(data, where), shape);
            case "int64":
                return manager.create(longs(data, where), shape);
            case "bool":
                return manager.create(booleans(data, where), shape);
            default:
                throw new IllegalArgumentException(
                        where
                                + ".dtype must be float32, int64 or bool, got "
                                + CaseArgs.describe(o.get("dtype")));
        }
    }

    /**
     * Reads a tensor or a list of tensors as a list.
     *
     * @param value one JSON tensor, or an array of them
     * @param manager where the arrays are created
     * @param where the value's place in the case, for messages
     * @return the arrays, in order (one for a single tensor)
     * @throws IllegalArgumentException if the value is neither
     */
    public static NDList readList(JsonElement value, NDManager manager, String where) {
        if (isTensor(value)) {
            return new NDList(read(value, manager, where));
        }
        if (value == null || !value.isJsonArray()) {
            throw new IllegalArgumentException(
                    where
                            + " must be a tensor or a list of tensors, got "
                            + CaseArgs.describe(value));
        }
        JsonArray array = value.getAsJsonArray();
        NDList out = new NDList(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(read(array.get(i), manager, where + "[" + i + "]"));
        }
        return out;
    }

    /**
     * The flat float32 data of a tensor, without creating an NDArray.
     *
     * @param value the JSON tensor
     * @param where the value's place in the case, for messages
     * @return the values, row-major
     */
    public static float[] floatData(JsonElement value, String where) {
        if (!isTensor(value)) {
            throw new IllegalArgumentException(
                    where + " must be a tensor, got " + CaseArgs.describe(value));
        }
        return floats(value.getAsJsonObject().getAsJsonArray("data"), where);
    }

    private static Shape shape(JsonElement value, String where) {
        if (value == null || !value.isJsonArray()) {
            throw new IllegalArgumentException(
                    where + ".shape must be an array of sizes, got " + CaseArgs.describe(value));
        }
        JsonArray array = value.getAsJsonArray();
        long[] dims = new long[array.size()];
        for (int i = 0; i < dims.length; i++) {
            long d = parseLong(array.get(i), where + ".shape[" + i + "]");
            if (d < 0) {
                throw new IllegalArgumentException(
                        where + ".shape[" + i + "] must be >= 0, got " + d);
            }
            dims[i] = d;
        }
        return new Shape(dims);
    }

    private static float[] floats(JsonArray data, String where) {
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = data.get(i);
            if (!e.isJsonPrimitive() || ((JsonPrimitive) e).isBoolean()) {
                throw new IllegalArgumentException(
                        where + ".data[" + i + "] must be a number, got " + CaseArgs.describe(e));
            }
            String text = e.getAsString();
            try {
                // "NaN", "Infinity" and "-Infinity" are accepted as written by Python's json.
                out[i] = Float.parseFloat(text);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(
                        where + ".data[" + i + "] must be a number, got \"" + text + "\"", ex);
            }
        }
        return out;
    }

    private static long[] longs(JsonArray data, String where) {
        long[] out = new long[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseLong(data.get(i), where + ".data[" + i + "]");
        }
        return out;
    }

    private static boolean[] booleans(JsonArray data, String where) {
        boolean[] out = new boolean[data.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = data.get(i);
            if (e.isJsonPrimitive() && ((JsonPrimitive) e).isBoolean()) {
                out[i] = e.getAsBoolean();
            } else if (e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber()) {
                out[i] = e.getAsDouble() != 0;
            } else {
                throw new IllegalArgumentException(
                        where + ".data[" + i + "] must be a boolean, got " + CaseArgs.describe(e));
            }
        }
        return out;
    }

    static long parseLong(JsonElement e, String where) {
        if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw new IllegalArgumentException(
                    where + " must be an integer, got " + CaseArgs.describe(e));
        }
        String text = e.getAsString();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(where + " must be an integer, got " + text, ex);
        }
    }

    /**
     * An array's values as doubles (a copy; the array is not changed).
     *
     * @param a the array
     * @return its values, row-major
     */
    public static double[] doubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray d = a.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }
}
