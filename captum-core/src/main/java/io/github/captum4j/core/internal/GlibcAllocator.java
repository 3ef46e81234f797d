package io.github.captum4j.core.internal;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * glibc's allocator parameters, set with {@code mallopt} through JNA (a dependency of DJL's API):
 * the part of the engine adapter that decides whether memory libtorch frees goes back to the
 * system at once or stays for the next call.
 *
 * <p>With glibc's defaults a block above a moving threshold (128 KiB at first, at most 32 MiB) is
 * a fresh mapping each time, and free memory above 128 KiB at the top of a heap is given back, so
 * the activations of every call are page-faulted in again: 5,000-22,000 page faults per DeepLift
 * call on MobileNetV2 on the 2-vCPU VM (2026-12-03), where a fault costs about 10 us.
 * {@link #keepFreedMemory} fixes the mapping threshold at 32 MiB (fixing it also stops glibc from
 * moving it), gives memory back only above 1 GiB free at a heap's top, and grows heaps 64 MiB at
 * a time: about 370 faults per call. All three, or none: a trim threshold alone fixes the mapping
 * threshold at 128 KiB and made the same calls five times slower.
 *
 * <p>Not API: may change without notice; the public entry point is {@code core.EngineSettings}.
 */
public final class GlibcAllocator {

    /** {@code M_TRIM_THRESHOLD}. */
    private static final int TRIM_THRESHOLD = -1;
    /** {@code M_TOP_PAD}. */
    private static final int TOP_PAD = -2;
    /** {@code M_MMAP_THRESHOLD}. */
    private static final int MMAP_THRESHOLD = -3;

    /** Blocks up to this size come from a heap (glibc's maximum on 64-bit systems). */
    private static final int KEPT_BLOCK_BYTES = 32 << 20;
    /** Free memory at a heap's top given back to the system only above this. */
    private static final int TRIM_BYTES = 1 << 30;
    /** A heap grows by at least this much. */
    private static final int TOP_PAD_BYTES = 64 << 20;

    private GlibcAllocator() {}

    /**
     * Sets the three parameters for the whole process.
     *
     * @return whether glibc accepted all three
     * @throws UnsupportedOperationException where the C library is not glibc (not Linux, or no
     *     {@code mallopt})
     */
    public static boolean keepFreedMemory() {
        Function mallopt = mallopt();
        boolean ok = set(mallopt, MMAP_THRESHOLD, KEPT_BLOCK_BYTES);
        ok &= set(mallopt, TRIM_THRESHOLD, TRIM_BYTES);
        ok &= set(mallopt, TOP_PAD, TOP_PAD_BYTES);
        return ok;
    }

    private static boolean set(Function mallopt, int parameter, int value) {
        return mallopt.invokeInt(new Object[] {parameter, value}) == 1;
    }

    private static Function mallopt() {
        if (!Platform.isLinux()) {
            throw new UnsupportedOperationException(
                    "the allocator settings are glibc's (Linux), not available on " + System.getProperty("os.name"));
        }
        try {
            return NativeLibrary.getInstance("c").getFunction("mallopt");
        } catch (UnsatisfiedLinkError e) {
            throw new UnsupportedOperationException("this C library has no mallopt (not glibc)", e);
        }
    }
}
