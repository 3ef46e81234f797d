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
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

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
        return read(
                key,
                (e, where) -> {
                    long v = CaseTensors.parseLong(e, where);
                    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(where + " must fit an int, got " + v);
                    }
                    return (int) v;
                });
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
        return read(key, CaseArgs::toDouble);
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
        return primitive(
                key, JsonPrimitive::isBoolean, "true or false", JsonPrimitive::getAsBoolean);
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
        return primitive(key, JsonPrimitive::isString, "a string", JsonPrimitive::getAsString);
    }

    /**
     * A list of integers.
     *
     * @param key the key
     * @return the values, or empty if absent
     * @throws IllegalArgumentException if the value is not an array of integers
     */
    public Optional<int[]> integers(String key) {
        return read(
                key,
                (e, where) -> {
                    JsonArray a =
                            expect(e, e.isJsonArray(), where, "a list of integers")
                                    .getAsJsonArray();
                    int[] out = new int[a.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] =
                                Math.toIntExact(
                                        CaseTensors.parseLong(a.get(i), where + "[" + i + "]"));
                    }
                    return out;
                });
    }

    /**
     * One number or a list of numbers (e.g. {@code stdevs}) as a list.
     *
     * @param key the key
     * @return the values (one for a single number), or empty if absent
     * @throws IllegalArgumentException if the value is neither
     */
    public Optional<List<Double>> numbers(String key) {
        return read(
                key,
                (e, where) -> {
                    if (!e.isJsonArray()) {
                        return List.of(toDouble(e, where));
                    }
                    JsonArray a = e.getAsJsonArray();
                    List<Double> out = new ArrayList<>();
                    for (int i = 0; i < a.size(); i++) {
                        out.add(toDouble(a.get(i), where + "[" + i + "]"));
                    }
                    return List.copyOf(out);
                });
    }

    /**
     * A nested object.
     *
     * @param key the key
     * @return a view of it, or empty if absent
     * @throws IllegalArgumentException if the value is not an object
     */
    public Optional<CaseArgs> object(String key) {
        return read(
                key,
                (e, where) ->
                        new CaseArgs(
                                expect(e, e.isJsonObject(), where, "an object").getAsJsonObject(),
                                where));
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
        return read(key, (e, where) -> CaseTensors.read(e, manager, where));
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

    /**
     * The value of a key, read by {@code reader} from the JSON value and its path (for messages).
     *
     * @param key the key
     * @param reader converts the present, non-null value; throws for a value of the wrong kind
     * @return the converted value, or empty if the key is absent or null
     */
    private <T> Optional<T> read(String key, BiFunction<JsonElement, String, T> reader) {
        return has(key) ? Optional.of(reader.apply(object.get(key), where(key))) : Optional.empty();
    }

    /**
     * The value of a key that must be a JSON primitive of one kind.
     *
     * @param key the key
     * @param kind whether a primitive is of the kind, e.g. {@code JsonPrimitive::isString}
     * @param expected the kind for messages, e.g. {@code "a string"}
     * @param value reads the primitive
     * @return the value, or empty if the key is absent or null
     */
    private <T> Optional<T> primitive(
            String key,
            Predicate<JsonPrimitive> kind,
            String expected,
            Function<JsonPrimitive, T> value) {
        return read(
                key,
                (e, where) -> {
                    boolean ok = e.isJsonPrimitive() && kind.test(e.getAsJsonPrimitive());
                    return value.apply(expect(e, ok, where, expected).getAsJsonPrimitive());
                });
    }

    /**
     * Checks that a value is of the expected kind.
     *
     * @param e the value
     * @param ok whether it is
     * @param where its path
     * @param expected the kind, e.g. {@code "a string"}
     * @return {@code e}
     * @throws IllegalArgumentException naming the path, the kind and the value if not {@code ok}
     */
    private static JsonElement expect(JsonElement e, boolean ok, String where, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(
                    where + " must be " + expected + ", got " + describe(e));
        }
        return e;
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
