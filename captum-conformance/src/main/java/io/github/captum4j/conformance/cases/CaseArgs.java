package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A typed, read-only view of a JSON object of a case: {@code init_args}, {@code attribute_args} or
 * a nested object such as NoiseTunnel's {@code base}. Getters name the key (with the object's path,
 * e.g. {@code attribute_args.n_steps}) in their messages when a value has the wrong type. A key
 * holding JSON {@code null} counts as absent.
 *
 * <p>Not API: may change without notice.
 */
public final class CaseArgs {

    private final JsonObject object;
    private final String path;

    /**
     * A view of a JSON object.
     *
     * @param object the object ({@code null} = empty)
     * @param path its place in the case, for messages, e.g. {@code attribute_args}
     */
    public CaseArgs(JsonObject object, String path) {
        this.object = object == null ? new JsonObject() : object.deepCopy();
        this.path = path;
    }

    /**
     * The object's place in the case, e.g. {@code attribute_args} or {@code init_args.base}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * The keys present (including those holding null), sorted.
     *
     * @return the keys
     */
    public Set<String> keys() {
        return Collections.unmodifiableSet(new TreeSet<>(object.keySet()));
    }

    /**
     * Whether a key is present with a non-null value.
     *
     * @param key the key
     * @return {@code true} if present and not null
     */
    public boolean has(String key) {
        JsonElement e = object.get(key);
        return e != null && !e.isJsonNull();
    }

    /**
     * The raw JSON value of a key.
     *
     * @param key the key
     * @return a copy of the value, or empty if absent or null
     */
    public Optional<JsonElement> raw(String key) {
        return has(key) ? Optional.of(object.get(key).deepCopy()) : Optional.empty();
    }

    /**
     * An integer value.
     *
     * @param key the key
     * @return the value, or empty if absent
     * @throws IllegalArgumentException if the value is not an integer
     */
    public Optional<Integer> integer(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        long v = CaseTensors.parseLong(object.get(key), where(key));
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where(key) + " must fit an int, got " + v);
        }
        return Optional.of((int) v);
    }

    /**
     * An integer value, or a default.
     *
     * @param key the key
     * @param defaultValue returned if the key is absent
     * @return the value
     */
    public int integer(String key, int defaultValue) {
        return integer(key).orElse(defaultValue);
    }

    /**
     * A number.
     *
     * @param key the key
     * @return the value, or empty if absent
     * @throws IllegalArgumentException if the value is not a number
     */
    public Optional<Double> number(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        return Optional.of(toDouble(object.get(key), where(key)));
    }

    /**
     * A number, or a default.
     *
     * @param key the key
     * @param defaultValue returned if the key is absent
     * @return the value
     */
    public double number(String key, double defaultValue) {
        return number(key).orElse(defaultValue);
    }

    /**
     * A boolean.
     *
     * @param key the key
     * @return the value, or empty if absent
     * @throws IllegalArgumentException if the value is not a boolean
     */
    public Optional<Boolean> bool(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = object.get(key);
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isBoolean()) {
            throw new IllegalArgumentException(
                    where(key) + " must be true or false, got " + describe(e));
        }
        return Optional.of(e.getAsBoolean());
    }

    /**
     * A boolean, or a default.
     *
     * @param key the key
     * @param defaultValue returned if the key is absent
     * @return the value
     */
    public boolean bool(String key, boolean defaultValue) {
        return bool(key).orElse(defaultValue);
    }

    /**
     * A string.
     *
     * @param key the key
     * @return the value, or empty if absent
     * @throws IllegalArgumentException if the value is not a string
     */
    public Optional<String> string(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = object.get(key);
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw new IllegalArgumentException(
                    where(key) + " must be a string, got " + describe(e));
        }
        return Optional.of(e.getAsString());
    }

    /**
     * A list of integers.
     *
     * @param key the key
     * @return the values, or empty if absent
     * @throws IllegalArgumentException if the value is not an array of integers
     */
    public Optional<int[]> integers(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = object.get(key);
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(
                    where(key) + " must be a list of integers, got " + describe(e));
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(CaseTensors.parseLong(a.get(i), where(key) + "[" + i + "]"));
        }
        return Optional.of(out);
    }

    /**
     * One number or a list of numbers (e.g. {@code stdevs}) as a list.
     *
     * @param key the key
     * @return the values (one for a single number), or empty if absent
     * @throws IllegalArgumentException if the value is neither
     */
    public Optional<List<Double>> numbers(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = object.get(key);
        List<Double> out = new ArrayList<>();
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                out.add(toDouble(a.get(i), where(key) + "[" + i + "]"));
            }
        } else {
            out.add(toDouble(e, where(key)));
        }
        return Optional.of(List.copyOf(out));
    }

    /**
     * A nested object.
     *
     * @param key the key
     * @return a view of it, or empty if absent
     * @throws IllegalArgumentException if the value is not an object
     */
    public Optional<CaseArgs> object(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = object.get(key);
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(
                    where(key) + " must be an object, got " + describe(e));
        }
        return Optional.of(new CaseArgs(e.getAsJsonObject(), where(key)));
    }

    /**
     * Whether a key holds a tensor (the fixtures' tensor form).
     *
     * @param key the key
     * @return {@code true} for a tensor
     */
    public boolean isTensor(String key) {
        return CaseTensors.isTensor(object.get(key));
    }

    /**
     * A tensor value (e.g. {@code feature_mask}).
     *
     * @param key the key
     * @param manager where the array is created
     * @return the array, or empty if absent
     * @throws IllegalArgumentException if the value is not a tensor
     */
    public Optional<NDArray> tensor(String key, NDManager manager) {
        if (!has(key)) {
            return Optional.empty();
        }
        return Optional.of(CaseTensors.read(object.get(key), manager, where(key)));
    }

    /**
     * A copy of the underlying object.
     *
     * @return the JSON object
     */
    public JsonObject json() {
        return object.deepCopy();
    }

    @Override
    public String toString() {
        return path + object;
    }

    private String where(String key) {
        return path + "." + key;
    }

    private static double toDouble(JsonElement e, String where) {
        if (e == null || !e.isJsonPrimitive() || ((JsonPrimitive) e).isBoolean()) {
            throw new IllegalArgumentException(where + " must be a number, got " + describe(e));
        }
        try {
            return Double.parseDouble(e.getAsString());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(
                    where + " must be a number, got \"" + e.getAsString() + "\"", ex);
        }
    }

    /**
     * A short description of a JSON value for messages.
     *
     * @param e the value, possibly {@code null}
     * @return e.g. {@code "abc"}, {@code an object with keys [a, b]}, {@code nothing}
     */
    static String describe(JsonElement e) {
        if (e == null) {
            return "nothing";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object with keys " + new TreeSet<>(e.getAsJsonObject().keySet());
        }
        if (e.isJsonArray()) {
            return "a list of " + e.getAsJsonArray().size();
        }
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
