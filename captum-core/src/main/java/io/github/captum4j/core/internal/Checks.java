package io.github.captum4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Argument checks with messages that name the argument, what was expected and what was given. The
 * message template is formatted only when the check fails.
 *
 * <p>Not API: may change without notice.
 */
public final class Checks {

    private Checks() {}

    /**
     * Throws {@link IllegalArgumentException} with a formatted message when {@code condition} is
     * false.
     *
     * @param condition the condition that must hold
     * @param template a {@link String#format} template
     * @param args the template's arguments
     */
    public static void argument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, format(args)));
        }
    }

    /**
     * Throws {@link IllegalStateException} with a formatted message when {@code condition} is
     * false.
     *
     * @param condition the condition that must hold
     * @param template a {@link String#format} template
     * @param args the template's arguments
     */
    public static void state(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(template, format(args)));
        }
    }

    /**
     * Checks that an argument is not null.
     *
     * @param value the value
     * @param name the argument's name
     * @param <T> its type
     * @return the value
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * Checks {@code value >= min}.
     *
     * @param value the value
     * @param min the smallest allowed value
     * @param name the argument's name
     * @return the value
     */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /**
     * Checks that {@code value} is finite and {@code >= 0}.
     *
     * @param value the value
     * @param name the argument's name
     * @return the value
     */
    public static double finiteNonNegative(double value, String name) {
        argument(
                value >= 0 && Double.isFinite(value),
                "%s must be finite and >= 0, got %s",
                name,
                value);
        return value;
    }

    /**
     * Checks that a list given alongside the inputs (attributions, masks, ...) holds one tensor per
     * input.
     *
     * @param given the list's size
     * @param inputs the number of inputs
     * @param name the argument's name
     */
    public static void onePerInput(int given, int inputs, String name) {
        argument(
                given == inputs,
                "%s must hold one tensor per input (%s), got %s",
                name,
                inputs,
                given);
    }

    /**
     * Whether a tensor of shape {@code shape} (a mask) lines up with one of shape {@code target}:
     * the same number of dimensions, each equal to the target's or 1 (broadcast).
     *
     * @param shape the mask's shape
     * @param target the tensor's shape
     * @return {@code true} if it fits
     */
    public static boolean fitsWithBroadcast(Shape shape, Shape target) {
        if (shape.dimension() != target.dimension()) {
            return false;
        }
        for (int d = 0; d < shape.dimension(); d++) {
            if (shape.get(d) != target.get(d) && shape.get(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Formats a shape the way PyTorch prints it, e.g. {@code (3, 32, 32)}.
     *
     * @param shape the shape
     * @return the text
     */
    public static String shape(Shape shape) {
        long[] dims = shape.getShape();
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        String s = Arrays.toString(dims);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }

    /**
     * A message from elsewhere (libtorch, a parser) cut to its first line and at most {@code max}
     * characters, so that the library's own messages stay short.
     *
     * @param message the message, or {@code null}
     * @param max the most characters kept
     * @return the clipped message
     */
    public static String clip(String message, int max) {
        if (message == null) {
            return "(no message)";
        }
        String first = message.strip();
        int nl = first.indexOf('\n');
        if (nl >= 0) {
            first = first.substring(0, nl).strip() + " ...";
        }
        return first.length() <= max ? first : first.substring(0, max) + " ...";
    }

    private static Object[] format(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof Shape) {
                out[i] = shape((Shape) out[i]);
            } else if (out[i] instanceof NDArray) {
                out[i] = shape(((NDArray) out[i]).getShape());
            } else if (out[i] instanceof int[]) {
                out[i] = Arrays.toString((int[]) out[i]);
            } else if (out[i] instanceof long[]) {
                out[i] = Arrays.toString((long[]) out[i]);
            }
        }
        return out;
    }
}
