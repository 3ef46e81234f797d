package io.github.captum4j.core;

import io.github.captum4j.core.internal.GlibcAllocator;
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
 * <p>Allocator (Linux): {@link #keepFreedMemory()} makes glibc keep the memory libtorch frees
 * for the next call instead of giving it back and page-faulting it in again on every call.
 *
 * <p>Other engine settings are JVM options or environment variables (threads: DJL's {@code
 * -Dai.djl.pytorch.num_threads}; OpenMP): see the README's "Engine settings".
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

    /**
     * Makes glibc's allocator keep freed memory for reuse, for the whole process: blocks up to 32
     * MiB come from its heaps instead of a fresh mapping each time, a heap gives memory back to the
     * system only above 1 GiB free at its top, and grows 64 MiB at a time ({@code mallopt}'s {@code
     * M_MMAP_THRESHOLD}, {@code M_TRIM_THRESHOLD}, {@code M_TOP_PAD}; the same as the environment
     * variables {@code MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824
     * MALLOC_TOP_PAD_=67108864}). With glibc's defaults the activations of every call are mapped
     * and page-faulted in afresh; measured on a 2-vCPU VM (2026-12-03): IG on a small ResNet with
     * a batch of 8 took 0.49x the time, IG on ResNet-18 0.86x, DeepLift on MobileNetV2 from 5,000-
     * 22,000 page faults a call down to about 370 in one process (README, "Engine settings"). The
     * price: the resident set stays near its peak between calls. Call it once at start-up; a
     * service that sets its own allocator (environment variables, jemalloc) should not call it.
     *
     * <pre>{@code
     * EngineSettings.keepFreedMemory();   // once, before models run
     * }</pre>
     *
     * @throws UnsupportedOperationException where the C library is not glibc (macOS, Windows,
     *     musl)
     * @throws IllegalStateException if glibc refused a value
     */
    public static void keepFreedMemory() {
        if (!GlibcAllocator.keepFreedMemory()) {
            throw new IllegalStateException("glibc's mallopt refused the allocator settings");
        }
    }
}
