package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * 10,000 calls of every registered algorithm leave the caller's array count exactly where it was,
 * and native memory flat once the process has settled (after at least 2,000 warm-up calls and 3 s:
 * a fast path, e.g. FeatureAblation on JVM arrays at ~20 µs a call, otherwise reaches the JIT
 * compiler's thresholds during the soak, whose native arenas read as +1.7 MB of steady growth;
 * with 30,000 warm-up calls the same spec read -4.3 MB). Three measures,
 * each after a full GC ({@link NativeMemory}):
 *
 * <ul>
 *   <li>the caller's managed arrays: exactly unchanged;
 *   <li>live malloc bytes (glibc's {@code mallinfo2}, every arena): exact, so a native leak cannot
 *       hide in allocator caches; a steady growth ({@link SoakTrend}: in both halves of the soak,
 *       read from 11 checkpoints) of at most {@value #MAX_STEADY_LIVE_GROWTH_MB} MB per 4,000
 *       calls, i.e. 0.4 KB a call (a leak of 1 KB a call shows 4 MB);
 *   <li>the resident set after {@code malloc_trim(0)}: a steady growth of at most {@value
 *       #MAX_STEADY_GROWTH_MB} MB per 4,000 calls; trimming first takes glibc's free-but-cached arena pages out of the
 *       figure, and the soak profile pre-touches a fixed-size Java heap so that heap growth is not
 *       counted either. The raw resident set alone cannot tell a leak from allocator caching:
 *       IntegratedGradients once grew it by 62 MB over its second half under heavy load; measured
 *       again this way (load average 15), its live malloc bytes were flat (67.7, 64.6, 64.4 MB at
 *       0, 5,000 and 10,000 calls) and its trimmed resident set moved by -3.3 MB.
 * </ul>
 *
 * <p>Minutes long, so tagged {@code soak} and left out of the default suite; run it with {@code mvn
 * -B -pl captum-attr -am test -Psoak}, or for some algorithms only with {@code
 * -Dcaptum4j.soak.only=REGEX} (matched against the names printed, e.g. {@code
 * IntegratedGradients}).
 */
@Tag("soak")
class LeakSoakTest {

    private static final int CALLS = 10_000;
    private static final int WARM_UP = 2_000;
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    /** Steady growth of the trimmed resident set allowed per 4,000 calls. */
    private static final double MAX_STEADY_GROWTH_MB = 19;

    /** Steady growth of live malloc bytes allowed per 4,000 calls (0.4 KB a call). */
    private static final double MAX_STEADY_LIVE_GROWTH_MB = 1.6;

    static List<AlgorithmSpec> algorithms() {
        Pattern only = Pattern.compile(System.getProperty("captum4j.soak.only", ""));
        return AlgorithmRegistry.all().stream()
                .filter(s -> only.matcher(s.toString()).find())
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void tenThousandCallsLeaveArraysAndNativeMemoryFlat(AlgorithmSpec spec) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Inputs in = spec.fixture.inputs(manager, 3);
            AlgorithmSpec.Call call = spec.factory.apply(spec.fixture.model());
            Target t = spec.targetChecked ? spec.fixture.target() : Target.none();
            long warmStart = System.nanoTime();
            for (int i = 0; i < WARM_UP || System.nanoTime() - warmStart < WARM_UP_NANOS; i++) {
                call.attribute(in, t, i).close(); // allocator pools, JIT, heap sizing
            }
            int arraysBefore = manager.getManagedArrays().size();
            NativeMemory.Snapshot[] readings = new NativeMemory.Snapshot[SoakTrend.CHECKPOINTS];
            int every = CALLS / (SoakTrend.CHECKPOINTS - 1);
            readings[0] = NativeMemory.snapshot();
            for (int i = 1; i <= CALLS; i++) {
                call.attribute(in, t, i).close();
                if (i % every == 0) {
                    readings[i / every] = NativeMemory.snapshot();
                }
            }
            int arraysAfter = manager.getManagedArrays().size();
            double liveGrowthMb = SoakTrend.steadyGrowth(readings, r -> r.liveMallocBytes() / 1e6);
            double rssGrowthMb = SoakTrend.steadyGrowth(readings, r -> r.trimmedRssKb() / 1024.0);
            System.out.printf(
                    Locale.ROOT,
                    "soak %-34s %d calls: arrays %d -> %d; %s -> %s -> %s;"
                            + " steady growth: live malloc %+.2f MB, trimmed RSS %+.1f MB;"
                            + " live malloc at each 1,000 calls, MB: %s%n",
                    spec,
                    CALLS,
                    arraysBefore,
                    arraysAfter,
                    readings[0],
                    readings[5],
                    readings[10],
                    liveGrowthMb,
                    rssGrowthMb,
                    Arrays.stream(readings)
                            .map(r -> String.format(Locale.ROOT, "%.1f", r.liveMallocBytes() / 1e6))
                            .toList());
            assertThat(arraysAfter).as("caller's arrays").isEqualTo(arraysBefore);
            if (NativeMemory.available()) {
                assertThat(liveGrowthMb)
                        .as("steady live malloc growth per 4,000 calls, MB")
                        .isLessThan(MAX_STEADY_LIVE_GROWTH_MB);
            }
            assertThat(rssGrowthMb)
                    .as("steady trimmed resident growth per 4,000 calls, MB")
                    .isLessThan(MAX_STEADY_GROWTH_MB);
        }
    }
}
