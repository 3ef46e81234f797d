package io.github.captum4j.core.internal;

import java.util.Locale;

/**
 * Checks of the sizes a request implies: element counts that must fit a Java array (products
 * computed without overflow) and memory estimates that must fit the heap. A request that cannot
 * fit fails up front with an {@link IllegalArgumentException} naming the argument that scales it
 * and the estimate, rather than with an overflow, a {@code NegativeArraySizeException} or an
 * {@code OutOfMemoryError} midway.
 *
 * <p>Not API: may change without notice.
 */
public final class Sizes {

    /** The largest Java array the JVMs in use allocate. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Sizes() {}

    /**
     * The product of {@code factors}, which must fit one Java array.
     *
     * @param argument the argument that scales the product, for the message
     * @param factors the sizes, each {@code >= 0}
     * @return the product, as an int
     * @throws IllegalArgumentException when it exceeds {@link #MAX_ARRAY}
     */
    public static int elements(String argument, long... factors) {
        long product = product(argument, factors);
        if (product > MAX_ARRAY) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s is too large: it needs an array of %s elements (%s), more than the"
                                    + " %d a Java array holds",
                            argument,
                            product,
                            describe(factors),
                            MAX_ARRAY));
        }
        return (int) product;
    }

    /**
     * The exact product of {@code factors}.
     *
     * @param argument the argument that scales the product, for the message
     * @param factors the sizes, each {@code >= 0}
     * @return the product
     * @throws IllegalArgumentException when it overflows a long
     */
    public static long product(String argument, long... factors) {
        long product = 1;
        try {
            for (long f : factors) {
                Checks.argument(f >= 0, "%s must give sizes >= 0, got %s", argument, f);
                product = Math.multiplyExact(product, f);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    argument + " is too large: the size " + describe(factors) + " overflows");
        }
        return product;
    }

    /**
     * Checks that {@code count} values of {@code bytesEach} bytes fit the JVM's maximum heap.
     *
     * @param argument the argument that scales the count, for the message
     * @param count the number of values
     * @param bytesEach bytes per value
     * @throws IllegalArgumentException when they do not
     */
    public static void memory(String argument, long count, long bytesEach) {
        long bytes = product(argument, count, bytesEach);
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s is too large: the request needs about %.1f GB (%d values of %d"
                                    + " bytes), more than the %.1f GB heap",
                            argument,
                            bytes / 1e9,
                            count,
                            bytesEach,
                            max / 1e9));
        }
    }

    /**
     * Checks that {@code count} values of {@code bytesEach} bytes of native (libtorch) memory fit
     * the machine's physical memory.
     *
     * @param argument the argument that scales the count, for the message
     * @param count the number of values
     * @param bytesEach bytes per value
     * @throws IllegalArgumentException when they do not
     */
    public static void nativeMemory(String argument, long count, long bytesEach) {
        long bytes = product(argument, count, bytesEach);
        long max = physicalMemory();
        if (bytes > max) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s is too large: the request needs about %.1f GB of tensors (%d values"
                                    + " of %d bytes), more than the machine's %.1f GB",
                            argument,
                            bytes / 1e9,
                            count,
                            bytesEach,
                            max / 1e9));
        }
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
        }
        return Long.MAX_VALUE;
    }

    private static String describe(long[] factors) {
        StringBuilder b = new StringBuilder();
        for (long f : factors) {
            b.append(b.length() == 0 ? "" : " x ").append(f);
        }
        return b.toString();
    }
}
