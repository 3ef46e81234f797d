package io.github.captum4j.examples;

import io.github.captum4j.core.EngineSettings;

/**
 * The engine settings the CLI chooses for its own process, once at start-up (a library never does
 * this behind its user's back; a service makes the same choice with {@link EngineSettings} and the
 * JVM / environment settings of the README's "Engine settings").
 *
 * <ul>
 *   <li>NNPACK off ({@code -Dcaptum4j.nnpack=true} keeps libtorch's default): no per-convolution
 *       availability probe, and no "Could not initialize NNPACK! Reason: Unsupported hardware."
 *       line per convolution on CPUs NNPACK does not support.
 *   <li>{@code OMP_WAIT_POLICY=PASSIVE} unless the environment sets it: applied by {@link
 *       EngineRelaunch}, as OpenMP reads it when the process starts.
 * </ul>
 *
 * <p>{@code -Dcaptum4j.engineDefaults=false} keeps libtorch's defaults for both
 * (the oneDNN correctness fix of {@link EngineRelaunch} stays).
 */
final class EngineDefaults {

    /** System property: {@code true} keeps NNPACK enabled (libtorch's default). */
    static final String NNPACK_PROPERTY = "captum4j.nnpack";

    /** System property: {@code false} keeps libtorch's defaults instead of the CLI's. */
    static final String DEFAULTS_PROPERTY = "captum4j.engineDefaults";

    private EngineDefaults() {}

    /**
     * Whether the CLI's defaults apply (not switched off with {@value #DEFAULTS_PROPERTY}).
     *
     * @return true unless the property is {@code false}
     */
    static boolean enabled() {
        return !"false".equals(System.getProperty(DEFAULTS_PROPERTY));
    }

    /** Applies the settings; call first thing in {@code main}, before any model runs. */
    static void apply() {
        String nnpack = System.getProperty(NNPACK_PROPERTY, enabled() ? "false" : "true");
        try {
            EngineSettings.setNnpackEnabled(Boolean.parseBoolean(nnpack));
        } catch (UnsupportedOperationException e) {
            // libtorch's context is not reachable on this platform: keep libtorch's default
        }
    }
}
