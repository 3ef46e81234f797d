package io.github.captum4j.core.internal;

import java.util.function.Supplier;

/**
 * A value computed on first use, once, thread-safely (double-checked locking on a volatile field):
 * in a static field, once per JVM. A computation that throws caches nothing: the next {@link
 * #get()} tries again.
 *
 * <pre>{@code
 * private static final Lazy<NativeLibrary> LIBRARY = new Lazy<>(TorchContext::open);
 * NativeLibrary lib = LIBRARY.get();
 * }</pre>
 *
 * <p>Not API: may change without notice.
 *
 * @param <T> the value's type
 */
public final class Lazy<T> {

    private final Supplier<T> compute;
    private volatile T value;

    /**
     * A value computed by {@code compute} on the first {@link #get()}.
     *
     * @param compute the computation, returning non-null
     */
    public Lazy(Supplier<T> compute) {
        this.compute = Checks.notNull(compute, "compute");
    }

    /**
     * The value, computed by the first caller while later ones wait.
     *
     * @return the value
     */
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = compute.get();
                    value = v;
                }
            }
        }
        return v;
    }
}
