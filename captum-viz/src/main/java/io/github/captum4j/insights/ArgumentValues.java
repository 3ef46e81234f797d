package io.github.captum4j.insights;

import io.github.captum4j.core.internal.Checks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checked argument values of one attribution request: every argument of the method, from the
 * page or its default.
 *
 * <pre>{@code
 * int nSteps = values.integer("nSteps");
 * ApproximationMethod m = values.enumValue("method", ApproximationMethod.class);
 * }</pre>
 */
public final class ArgumentValues {

    private final Map<String, Object> values;

    private ArgumentValues(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * Checks raw values against a method's arguments; missing ones take their defaults, unknown
     * ones are rejected.
     *
     * @param arguments the method's arguments
     * @param raw the values sent, by name (may be empty)
     * @return the checked values
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    public static ArgumentValues check(Map<String, ArgumentConfig> arguments, Map<String, ?> raw) {
        Checks.notNull(arguments, "arguments");
        Checks.notNull(raw, "raw");
        for (String name : raw.keySet()) {
            Checks.argument(
                    arguments.containsKey(name),
                    "arguments: unknown argument '%s', expected one of %s",
                    name,
                    arguments.keySet());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ArgumentConfig> e : arguments.entrySet()) {
            Object v = raw.get(e.getKey());
            try {
                out.put(
                        e.getKey(),
                        v == null ? e.getValue().defaultValue() : e.getValue().parse(v));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(e.getKey() + " " + ex.getMessage(), ex);
            }
        }
        return new ArgumentValues(Collections.unmodifiableMap(out));
    }

    /**
     * A whole-number argument.
     *
     * @param name its name
     * @return the value
     */
    public int integer(String name) {
        return Math.toIntExact(((Number) get(name)).longValue());
    }

    /**
     * A number argument.
     *
     * @param name its name
     * @return the value
     */
    public double number(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /**
     * A text or enum argument.
     *
     * @param name its name
     * @return the value
     */
    public String string(String name) {
        return (String) get(name);
    }

    /**
     * An enum argument as the enum's constant.
     *
     * @param name its name
     * @param type the enum class
     * @param <E> the enum
     * @return the constant
     */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        return Enum.valueOf(type, string(name));
    }

    /**
     * All values by name.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        Object v = values.get(name);
        Checks.argument(v != null, "no argument '%s', expected one of %s", name, values.keySet());
        return v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
