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
 * </ul>
 */
final class EngineDefaults {

    /** System property: {@code true} keeps NNPACK enabled (libtorch's default). */
    static final String NNPACK_PROPERTY = "captum4j.nnpack";

    private EngineDefaults() {}

    /** Applies the settings; call first thing in {@code main}, before any model runs. */
    static void apply() {
        try {
            EngineSettings.setNnpackEnabled(Boolean.getBoolean(NNPACK_PROPERTY));
        } catch (UnsupportedOperationException e) {
            // libtorch's context is not reachable on this platform: keep libtorch's default
        }
    }
}
