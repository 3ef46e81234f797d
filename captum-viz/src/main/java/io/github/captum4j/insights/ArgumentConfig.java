package io.github.captum4j.insights;

import io.github.captum4j.core.internal.Checks;

import java.util.List;
import java.util.Locale;

/**
 * One argument of an attribution method as the Insights page offers it (Captum's {@code
 * NumberConfig}, {@code StrEnumConfig}, {@code StrConfig}): its default and the values allowed.
 * Values from the page are checked by {@link #parse(Object)}.
 */
public sealed interface ArgumentConfig
        permits ArgumentConfig.NumberConfig,
                ArgumentConfig.StrEnumConfig,
                ArgumentConfig.StrConfig {

    /**
     * The default value.
     *
     * @return a {@link Double}, {@link Long} (a whole-number {@link NumberConfig}) or {@link
     *     String}
     */
    default Object defaultValue() {
        if (this instanceof NumberConfig n) {
            return n.integer() ? (Object) (long) n.value() : (Object) n.value();
        }
        return this instanceof StrEnumConfig e ? e.value() : ((StrConfig) this).value();
    }

    /**
     * The kind shown by the page: {@code "number"}, {@code "enum"} or {@code "string"}.
     *
     * @return the kind
     */
    default String type() {
        return this instanceof NumberConfig
                ? "number"
                : this instanceof StrEnumConfig ? "enum" : "string";
    }

    /**
     * Checks a value sent by the page and converts it.
     *
     * @param raw a number or a string
     * @return the value, of the type of {@link #defaultValue()}
     * @throws IllegalArgumentException if the value is not allowed
     */
    Object parse(Object raw);

    /**
     * A number in {@code [min, max]}.
     *
     * @param value the default
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param integer whether only whole numbers are allowed (then values are {@link Long})
     */
    record NumberConfig(double value, double min, double max, boolean integer)
            implements ArgumentConfig {

        /**
         * Validates the range.
         *
         * @param value the default
         * @param min the smallest value allowed
         * @param max the largest value allowed
         * @param integer whether only whole numbers are allowed (then values are {@link Long})
         */
        public NumberConfig {
            Checks.argument(
                    min <= value && value <= max,
                    "value must be in [min, max] = [%s, %s], got %s",
                    min,
                    max,
                    value);
            Checks.argument(
                    !integer || value == Math.rint(value),
                    "value of an integer argument must be whole, got %s",
                    value);
        }

        /**
         * A whole-number argument.
         *
         * @param value the default
         * @param min the smallest value
         * @param max the largest value
         * @return the config
         */
        public static NumberConfig integer(long value, long min, long max) {
            return new NumberConfig(value, min, max, true);
        }

        /**
         * A real-number argument.
         *
         * @param value the default
         * @param min the smallest value
         * @param max the largest value
         * @return the config
         */
        public static NumberConfig real(double value, double min, double max) {
            return new NumberConfig(value, min, max, false);
        }

        @Override
        public Object parse(Object raw) {
            double v;
            if (raw instanceof Number n) {
                v = n.doubleValue();
            } else if (raw instanceof String s) {
                try {
                    v = Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number, got '" + s + "'");
                }
            } else {
                throw new IllegalArgumentException("must be a number, got " + raw);
            }
            Checks.argument(
                    Double.isFinite(v) && v >= min && v <= max,
                    "must be in [%s, %s], got %s",
                    format(min),
                    format(max),
                    format(v));
            Checks.argument(!integer || v == Math.rint(v), "must be a whole number, got %s", v);
            return integer ? (Object) (long) v : (Object) v;
        }

        private static String format(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15
                    ? String.valueOf((long) d)
                    : String.format(Locale.ROOT, "%s", d);
        }
    }

    /**
     * One of a list of names.
     *
     * @param value the default, one of {@code limit}
     * @param limit the names allowed
     */
    record StrEnumConfig(String value, List<String> limit) implements ArgumentConfig {

        /**
         * Validates and copies the components.
         *
         * @param value the default, one of {@code limit}
         * @param limit the names allowed
         */
        public StrEnumConfig {
            Checks.notNull(limit, "limit");
            limit = List.copyOf(limit);
            Checks.argument(limit.contains(value), "value must be one of %s, got %s", limit, value);
        }

        /**
         * The names of an enum's constants, with one as the default.
         *
         * @param value the default
         * @param <E> the enum
         * @return the config
         */
        public static <E extends Enum<E>> StrEnumConfig of(E value) {
            List<String> names =
                    java.util.Arrays.stream(value.getDeclaringClass().getEnumConstants())
                            .map(Enum::name)
                            .toList();
            return new StrEnumConfig(value.name(), names);
        }

        @Override
        public Object parse(Object raw) {
            String s = String.valueOf(raw);
            Checks.argument(limit.contains(s), "must be one of %s, got '%s'", limit, s);
            return s;
        }
    }

    /**
     * Free text of bounded length.
     *
     * @param value the default
     */
    record StrConfig(String value) implements ArgumentConfig {

        /** Longest text accepted. */
        public static final int MAX_LENGTH = 200;

        /**
         * Validates the default.
         *
         * @param value the default
         */
        public StrConfig {
            Checks.notNull(value, "value");
        }

        @Override
        public Object parse(Object raw) {
            Checks.argument(raw instanceof String, "must be a string, got %s", raw);
            String s = (String) raw;
            Checks.argument(
                    s.length() <= MAX_LENGTH,
                    "must be at most %s characters, got %s",
                    MAX_LENGTH,
                    s.length());
            return s;
        }
    }
}
