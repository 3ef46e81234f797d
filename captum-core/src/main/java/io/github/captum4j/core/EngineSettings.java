package io.github.captum4j.core;

import io.github.captum4j.core.internal.TorchContext;

/**
 * Process-wide libtorch settings that DJL does not expose, for an application to choose once at
 * start-up. captum4j never changes them by itself: they are global to the process, so they are the
 * application's decision (the captum4j CLI and notebook kernel make it for themselves).
 *
 * <p>NNPACK: libtorch asks whether NNPACK is usable for every convolution that does not go to
 * oneDNN; on CPUs where NNPACK cannot initialise (e.g. AMD EPYC Zen 4) each such convolution logs
 * "Could not initialize NNPACK! Reason: Unsupported hardware." on stderr. Disabling NNPACK (as
 * Python's {@code torch.backends.nnpack.set_flags(False)}) removes the probe and the warning;
 * libtorch then uses the kernels it falls back to anyway. On CPUs where NNPACK works it only
 * serves float convolutions of batches of at least 16 that oneDNN does not take.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     EngineSettings.setNnpackEnabled(false);   // once, before any model runs
 *     ...
 * }
 * }</pre>
 *
 * <p>Other engine settings are JVM options or environment variables (threads: DJL's {@code
 * -Dai.djl.pytorch.num_threads}; OpenMP, allocator): see the README's "Engine settings".
 */
public final class EngineSettings {

    private EngineSettings() {}

    /**
     * Whether libtorch may use NNPACK for convolutions (libtorch's default: yes).
     *
     * @return the process-wide flag
     * @throws UnsupportedOperationException when libtorch's context cannot be reached on this
     *     platform (Windows)
     */
    public static boolean nnpackEnabled() {
        return TorchContext.nnpackEnabled();
    }

    /**
     * Sets whether libtorch may use NNPACK for convolutions, for the whole process. Call it once at
     * start-up, before any model runs: convolutions running on other threads read the flag without
     * synchronisation. Loads libtorch if it is not loaded yet.
     *
     * @param enabled {@code false} to skip NNPACK (and its per-convolution availability probe)
     * @throws UnsupportedOperationException when libtorch's context cannot be reached on this
     *     platform (Windows)
     */
    public static void setNnpackEnabled(boolean enabled) {
        TorchContext.setNnpackEnabled(enabled);
    }
}
