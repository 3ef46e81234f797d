package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * 10,000 calls of every registered algorithm: the caller's array count must not move and resident
 * memory must stay flat once the JVM heap has settled (the second 5,000 calls may not grow it by
 * more than a few MB: a native leak of even 1 KB a call would show 5 MB). Minutes long, so tagged
 * {@code soak} and left out of the default suite; run it with {@code mvn -B -pl captum-attr -am
 * test -Psoak}.
 */
@Tag("soak")
class LeakSoakTest {

    private static final int CALLS = 10_000;
    private static final int WARM_UP = 2_000;

    /** Growth allowed over the second 5,000 calls, when the JVM heap has settled. */
    private static final double MAX_LATE_GROWTH_MB = 24;

    static List<AlgorithmSpec> algorithms() {
        return AlgorithmRegistry.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void tenThousandCallsLeaveArraysAndResidentMemoryFlat(AlgorithmSpec spec) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Inputs in = spec.fixture.inputs(manager, 3);
            AlgorithmSpec.Call call = spec.factory.apply(spec.fixture.model());
            Target t = spec.targetChecked ? spec.fixture.target() : Target.none();
            for (int i = 0; i < WARM_UP; i++) {
                call.attribute(in, t, i).close(); // allocator pools, JIT, heap sizing
            }
            int arraysBefore = manager.getManagedArrays().size();
            long rssBefore = rssKb();
            long rssHalf = 0;
            for (int i = 0; i < CALLS; i++) {
                call.attribute(in, t, i).close();
                if (i == CALLS / 2) {
                    rssHalf = rssKb();
                }
            }
            int arraysAfter = manager.getManagedArrays().size();
            long rssAfter = rssKb();
            System.out.printf(
                    Locale.ROOT,
                    "soak %-34s %d calls: arrays %d -> %d, RSS %.1f -> %.1f -> %.1f MB%n",
                    spec,
                    CALLS,
                    arraysBefore,
                    arraysAfter,
                    rssBefore / 1024.0,
                    rssHalf / 1024.0,
                    rssAfter / 1024.0);
            assertThat(arraysAfter).isEqualTo(arraysBefore);
            assertThat((rssAfter - rssHalf) / 1024.0).isLessThan(MAX_LATE_GROWTH_MB);
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
