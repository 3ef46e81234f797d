package io.github.captum4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Tensors written by the tools' reference exports: {@code {"shape", "dtype", "data"}}. */
public final class JsonTensors {

    private JsonTensors() {}

    /**
     * Reads one tensor: {@code int64} as long, anything else as float.
     *
     * @param t the JSON object
     * @param manager where the array is created
     * @return the array
     */
    public static NDArray tensor(JsonObject t, NDManager manager) {
        JsonArray shapeArray = t.getAsJsonArray("shape");
        long[] dims = new long[shapeArray.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeArray.get(i).getAsLong();
        }
        JsonArray data = t.getAsJsonArray("data");
        if (t.get("dtype").getAsString().equals("int64")) {
            long[] v = new long[data.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = data.get(i).getAsLong();
            }
            return manager.create(v, new Shape(dims));
        }
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i).getAsFloat();
        }
        return manager.create(v, new Shape(dims));
    }
}
