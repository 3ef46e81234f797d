package io.github.captum4j.attr;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one implementation behind every options builder of this library: it holds one value per
 * component of an options record, starting from a record (the method's {@code DEFAULTS} for {@code
 * Options.builder()}, the options themselves for {@code toBuilder()}), and {@link #build()} calls
 * the record's canonical constructor, so the record's compact-constructor validation runs exactly
 * once, on the values the caller set. A concrete builder only declares its typed setters, each one
 * line ({@code return set("nSteps", value);}); the option groups ({@link PathOptions.Builder},
 * {@link SamplingOptions.Builder}, the perturbation setters) declare theirs once.
 *
 * <pre>{@code
 * IntegratedGradients.Options o =
 *         IntegratedGradients.Options.builder().nSteps(100).returnConvergenceDelta(true).build();
 * }</pre>
 *
 * @param <B> the concrete builder
 * @param <O> the options record it builds
 */
public abstract class OptionsBuilder<B extends OptionsBuilder<B, O>, O extends Record> {

    private final Class<?> type;
    private final RecordComponent[] components;
    private final Object[] values;

    /**
     * Starts from the values of a record.
     *
     * @param from the record to copy; not {@code null}
     */
    protected OptionsBuilder(O from) {
        type = from.getClass();
        components = type.getRecordComponents();
        values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            values[i] = invoke(() -> c.getAccessor().invoke(from), i);
        }
    }

    /**
     * Sets one component.
     *
     * @param component the record component's name
     * @param value its new value (validated by {@link #build()})
     * @return this
     */
    @SuppressWarnings("unchecked")
    protected final B set(String component, Object value) {
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(component)) {
                values[i] = value;
                return (B) this;
            }
        }
        throw new IllegalStateException(type.getName() + " has no component " + component);
    }

    /**
     * Builds the options, validating them.
     *
     * @return the options
     * @throws IllegalArgumentException naming the offending option
     */
    @SuppressWarnings("unchecked")
    public final O build() {
        Class<?>[] types =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        return (O)
                invoke(
                        () -> {
                            Constructor<?> canonical = type.getDeclaredConstructor(types);
                            return canonical.newInstance(values.clone());
                        },
                        -1);
    }

    /**
     * A list of the given numbers, for setters taking {@code double...}.
     *
     * @param values the numbers
     * @return them as a list
     */
    protected static List<Double> doubles(double... values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    private interface Reflective {
        Object run() throws ReflectiveOperationException;
    }

    private Object invoke(Reflective call, int component) {
        try {
            return call.run();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the record's own validation message
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "cannot " + (component < 0 ? "construct " : "read ") + type.getName(), e);
        }
    }
}
