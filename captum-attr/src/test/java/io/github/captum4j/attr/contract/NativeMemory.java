package io.github.captum4j.attr.contract;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a soak test measures of the process's native memory, each after a full GC (so that direct
 * buffers waiting for their cleaner are freed):
 *
 * <ul>
 *   <li>{@link Snapshot#liveMallocBytes}: the bytes glibc's allocator has handed out and not had
 *       back (glibc's {@code mallinfo2}: {@code uordblks + hblkhd}, over every arena). libtorch's
 *       tensors, its tensor handles and the JVM's own native allocations all come from there; a
 *       leak of anything malloc'd shows byte for byte, whatever the allocator keeps cached.
 *   <li>{@link Snapshot#trimmedRssKb}: the resident set after {@code malloc_trim(0)} returned the
 *       free pages of every arena to the system: what is left of resident growth is live memory or
 *       memory outside malloc (JIT code, metaspace, thread stacks), not fragmentation.
 * </ul>
 *
 * <p>Both need glibc; elsewhere (or without JNA) {@link #available()} is false and the snapshot
 * holds the raw resident set only.
 */
final class NativeMemory {

    /** glibc's {@code struct mallinfo2} (all fields {@code size_t}). */
    public static class MallInfo2 extends Structure {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;

        @Override
        protected List<String> getFieldOrder() {
            return List.of(
                    "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                    "uordblks", "fordblks", "keepcost");
        }

        /** Returned by value. */
        public static final class ByValue extends MallInfo2 implements Structure.ByValue {}
    }

    /** The two glibc functions used. */
    interface LibC extends Library {
        MallInfo2.ByValue mallinfo2();

        int malloc_trim(long pad);
    }

    private static final LibC LIBC = load();

    private NativeMemory() {}

    private static LibC load() {
        try {
            LibC c = Native.load("c", LibC.class);
            c.mallinfo2();
            return c;
        } catch (LinkageError | RuntimeException e) {
            return null; // not glibc >= 2.33, or no JNA: raw resident set only
        }
    }

    /**
     * Whether live malloc bytes and the trimmed resident set can be measured here.
     *
     * @return true on glibc 2.33 or later with JNA
     */
    static boolean available() {
        return LIBC != null;
    }

    /**
     * One measurement.
     *
     * @param liveMallocBytes bytes allocated through malloc and not freed ({@code -1} if not
     *     available)
     * @param trimmedRssKb resident set after {@code malloc_trim(0)}, KiB (the raw resident set if
     *     not available)
     * @param rawRssKb resident set before trimming, KiB
     */
    record Snapshot(long liveMallocBytes, long trimmedRssKb, long rawRssKb) {

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "live malloc %.2f MB, RSS %.1f MB (%.1f MB untrimmed)",
                    liveMallocBytes / 1e6,
                    trimmedRssKb / 1024.0,
                    rawRssKb / 1024.0);
        }
    }

    /**
     * Collects the Java heap (twice, so that cleaners of the first collection have run), then
     * measures.
     *
     * @return the snapshot
     * @throws IOException if {@code /proc/self/status} cannot be read
     */
    static Snapshot snapshot() throws IOException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long raw = rssKb();
        if (LIBC == null) {
            return new Snapshot(-1, raw, raw);
        }
        MallInfo2 info = LIBC.mallinfo2();
        long live = info.uordblks + info.hblkhd;
        LIBC.malloc_trim(0);
        return new Snapshot(live, rssKb(), raw);
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
