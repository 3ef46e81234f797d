package io.github.captum4j.examples;

import io.github.captum4j.core.EngineSettings;

import java.util.Map;

/**
 * The engine settings the CLI chooses for its own process, once at start-up (a library never does
 * this behind its user's back; a service makes the same choice with {@link EngineSettings} and the
 * JVM / environment settings of the README's "Engine settings").
 *
 * <ul>
 *   <li>NNPACK off ({@code -Dcaptum4j.nnpack=true} keeps libtorch's default): no per-convolution
 *       availability probe, and no "Could not initialize NNPACK! Reason: Unsupported hardware."
 *       line per convolution on CPUs NNPACK does not support.
 *   <li>glibc's allocator keeping freed memory ({@link EngineSettings#keepFreedMemory()}) unless
 *       the environment makes an allocator choice of its own (any {@code MALLOC_} variable, {@code
 *       GLIBC_TUNABLES}, a preloaded allocator), which is then left whole.
 *   <li>{@code OMP_WAIT_POLICY=PASSIVE} unless the environment sets it: applied by {@link
 *       EngineRelaunch}, as OpenMP reads it when the process starts.
 * </ul>
 *
 * <p>{@code -Dcaptum4j.engineDefaults=false} keeps libtorch's and glibc's defaults for all three
 * (the oneDNN correctness fix of {@link EngineRelaunch} stays).
 */
final class EngineDefaults {

    /** System property: {@code true} keeps NNPACK enabled (libtorch's default). */
    static final String NNPACK_PROPERTY = "captum4j.nnpack";

    /** System property: {@code false} keeps libtorch's defaults instead of the CLI's. */
    static final String DEFAULTS_PROPERTY = "captum4j.engineDefaults";

    private static volatile boolean freedMemoryKept;

    private EngineDefaults() {}

    /**
     * Whether {@link #apply()} made glibc keep freed memory in this process.
     *
     * @return true if it did
     */
    static boolean freedMemoryKept() {
        return freedMemoryKept;
    }

    /**
     * Whether the CLI's defaults apply (not switched off with {@value #DEFAULTS_PROPERTY}).
     *
     * @return true unless the property is {@code false}
     */
    static boolean enabled() {
        return !"false".equals(System.getProperty(DEFAULTS_PROPERTY));
    }

    /**
     * Whether the environment leaves glibc's allocator to the CLI: no {@code MALLOC_} variable,
     * {@code GLIBC_TUNABLES} or {@code LD_PRELOAD} (one such variable alone changes how the others
     * behave, so a user's choice is never mixed with the CLI's).
     *
     * @param env the environment
     * @return true if the CLI may choose
     */
    static boolean allocatorUntouched(Map<String, String> env) {
        for (String name : env.keySet()) {
            if (name.startsWith("MALLOC_") || name.equals("GLIBC_TUNABLES") || name.equals("LD_PRELOAD")) {
                return false;
            }
        }
        return true;
    }

    /** Applies the settings; call first thing in {@code main}, before any model runs. */
    static void apply() {
        if (enabled() && allocatorUntouched(System.getenv())) {
            try {
                EngineSettings.keepFreedMemory();
                freedMemoryKept = true;
            } catch (UnsupportedOperationException | IllegalStateException e) {
                // not glibc, or it refused: keep the allocator's defaults
            }
        }
        String nnpack = System.getProperty(NNPACK_PROPERTY, enabled() ? "false" : "true");
        try {
            EngineSettings.setNnpackEnabled(Boolean.parseBoolean(nnpack));
        } catch (UnsupportedOperationException e) {
            // libtorch's context is not reachable on this platform: keep libtorch's default
        }
    }
}
