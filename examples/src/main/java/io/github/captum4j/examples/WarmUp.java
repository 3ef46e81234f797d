package io.github.captum4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The warm-up of a benchmark row: runs it until this process has reached its steady state for
 * that work, so that the timed runs measure what a long-running service pays.
 *
 * <p>Two start-up costs of a JVM fade only with use: the JIT compiling the Java code, and the first
 * touch of memory. A new process's Java heap and its allocator's arenas are backed page by page
 * as they are first written, one page fault per 4 KB. Measured on the 2-vCPU VM (2026-12-03): a
 * tiny_gpt FeatureAblation call allocates about 100 KB of Java objects and took 1.0 ms for its
 * first ~3,000 calls, 40–50 page faults each, until the young generation (about 236 MB) had been
 * written once; then 0.3 ms with about one fault a call. A warm-up of one second stopped in the
 * middle of that. So the warm-up runs at least {@code minRuns} times and {@code minSeconds}, then
 * until the highest resident set read after each run of the warm-up grew by less than {@link
 * #SETTLED_BYTES} in each of {@link
 * #SETTLED_WINDOWS} consecutive windows of at least {@link #WINDOW_SECONDS} (a window holds at least
 * one run; while the heap grows it gains several MB a second, with pauses of a fraction of a second
 * after a collection), at most {@code maxSeconds}. Where
 * {@code /proc/self/status} cannot be read, the minimums alone apply.
 */
final class WarmUp {

    /** Resident-set growth over one window below which the process counts as warm. */
    static final long SETTLED_BYTES = 1L << 20;

    /** Shortest window over which the growth is read. */
    static final double WINDOW_SECONDS = 1;

    /** Consecutive windows below {@link #SETTLED_BYTES} that end the warm-up. */
    static final int SETTLED_WINDOWS = 2;

    /**
     * How a warm-up ended.
     *
     * @param runs runs done
     * @param seconds time spent
     * @param settled whether the resident set stopped growing (false: cut at the maximum, or not
     *     readable)
     */
    record Result(int runs, double seconds, boolean settled) {}

    private WarmUp() {}

    /**
     * Warms up.
     *
     * @param body one run of the row (both sides of a pair)
     * @param minRuns at least this many runs
     * @param minSeconds at least this long
     * @param maxSeconds at most this long (at least one run)
     * @return how it ended
     */
    static Result run(Runnable body, int minRuns, double minSeconds, double maxSeconds) {
        return run(body, minRuns, minSeconds, maxSeconds, WINDOW_SECONDS);
    }

    /** {@link #run(Runnable, int, double, double)} with another window length. */
    static Result run(
            Runnable body, int minRuns, double minSeconds, double maxSeconds, double windowSeconds) {
        long start = System.nanoTime();
        long windowStart = start;
        long peak = residentBytes();
        long windowBase = peak;
        int runs = 0;
        int quiet = 0;
        while (true) {
            body.run();
            runs++;
            long now = System.nanoTime();
            peak = Math.max(peak, residentBytes());
            double elapsed = (now - start) / 1e9;
            if (elapsed >= maxSeconds) {
                return new Result(runs, elapsed, false);
            }
            if (runs < minRuns || elapsed < minSeconds || (now - windowStart) / 1e9 < windowSeconds) {
                continue;
            }
            if (peak < 0) {
                return new Result(runs, elapsed, false);
            }
            quiet = peak - windowBase < SETTLED_BYTES ? quiet + 1 : 0;
            if (quiet == SETTLED_WINDOWS) {
                return new Result(runs, elapsed, true);
            }
            windowStart = now;
            windowBase = peak;
        }
    }

    /** This process's resident set in bytes ({@code VmRSS}), or -1 where it cannot be read. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
