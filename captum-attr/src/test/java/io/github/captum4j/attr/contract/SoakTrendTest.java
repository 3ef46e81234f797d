package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.sun.jna.Native;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The soak's growth criterion still sees a leak, and no longer trips on one stray reading. */
class SoakTrendTest {

    private static Double[] linear(double perCheckpoint) {
        Double[] r = new Double[SoakTrend.CHECKPOINTS];
        for (int i = 0; i < r.length; i++) {
            r[i] = 100 + perCheckpoint * i;
        }
        return r;
    }

    @Test
    void aSteadyLeakShowsInFullOverTheSecondHalf() {
        // 1 KB a call, readings every 1,000 calls: 1 MB a checkpoint, 5 MB over the second half.
        assertThat(SoakTrend.lateGrowth(linear(1.0), Double::doubleValue)).isEqualTo(5.0);
    }

    @Test
    void oneStrayReadingInEitherWindowDoesNotDecide() {
        Double[] flat = linear(0);
        flat[10] = 110.0; // a transient high at the end
        assertThat(SoakTrend.lateGrowth(flat, Double::doubleValue)).isZero();
        flat = linear(0);
        flat[5] = 80.0; // a transient low at the half
        assertThat(SoakTrend.lateGrowth(flat, Double::doubleValue)).isZero();
    }

    @Test
    void wrongNumberOfReadingsIsRejected() {
        assertThatThrownBy(() -> SoakTrend.lateGrowth(new Double[3], Double::doubleValue))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("readings");
    }

    /** A real native leak of 1 KB a call, measured the soak's way, is caught by its 2 MB bound. */
    @Test
    void aRealMallocLeakIsCaught() throws IOException {
        assumeThat(NativeMemory.available()).as("glibc mallinfo2 through JNA").isTrue();
        List<Long> leaked = new ArrayList<>();
        try {
            NativeMemory.Snapshot[] readings = new NativeMemory.Snapshot[SoakTrend.CHECKPOINTS];
            readings[0] = NativeMemory.snapshot();
            for (int i = 1; i <= 10_000; i++) {
                leaked.add(Native.malloc(1024));
                if (i % 1_000 == 0) {
                    readings[i / 1_000] = NativeMemory.snapshot();
                }
            }
            double growthMb = SoakTrend.lateGrowth(readings, r -> r.liveMallocBytes() / 1e6);
            assertThat(growthMb).isBetween(4.5, 6.5);
        } finally {
            leaked.forEach(Native::free);
        }
    }
}
