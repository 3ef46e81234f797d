package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

class WarmUpTest {

    private static final int GROWTH = 8 << 20;

    /** Keeps 8 MB of written native memory per run for the first {@code growingRuns} runs. */
    private static final class Growing implements Runnable {
        final List<ByteBuffer> kept = new ArrayList<>();
        final int growingRuns;
        int runs;

        Growing(int growingRuns) {
            this.growingRuns = growingRuns;
        }

        @Override
        public void run() {
            runs++;
            if (runs <= growingRuns) {
                ByteBuffer b = ByteBuffer.allocateDirect(GROWTH);
                for (int i = 0; i < GROWTH; i += 4096) {
                    b.put(i, (byte) 1);
                }
                kept.add(b);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A warm-up with 20 ms windows, where the resident set can be read. */
    private static WarmUp.Result warm(Growing body, int minRuns, double minSeconds, double maxSeconds) {
        assumeTrue(WarmUp.residentBytes() > 0, "needs /proc/self/status");
        return WarmUp.run(body, minRuns, minSeconds, maxSeconds, 0.02);
    }

    @Test
    void runsOnWhileTheResidentSetGrowsAndStopsOnceItSettles() {
        WarmUp.Result r = warm(new Growing(12), 2, 0, 10);
        assertThat(r.settled()).isTrue();
        // Every run up to the 12th wrote 8 MB of new memory, so no window before it was quiet;
        // then two quiet windows of at least one run each.
        assertThat(r.runs()).isGreaterThanOrEqualTo(12 + WarmUp.SETTLED_WINDOWS);
    }

    @Test
    void aBodyThatKeepsGrowingIsCutAtTheMaximum() {
        WarmUp.Result r = warm(new Growing(Integer.MAX_VALUE), 2, 0, 0.3);
        assertThat(r.settled()).isFalse();
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void aBodyThatDoesNotGrowStopsAfterTheMinimumsAndTwoQuietWindows() {
        WarmUp.Result r = warm(new Growing(0), 5, 0.05, 10);
        assertThat(r.settled()).isTrue();
        assertThat(r.runs()).isGreaterThanOrEqualTo(5);
        assertThat(r.seconds()).isGreaterThanOrEqualTo(0.05).isLessThan(5);
    }
}
