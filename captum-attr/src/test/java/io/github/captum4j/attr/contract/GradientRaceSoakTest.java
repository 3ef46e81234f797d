package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 20,000 gradient calls from 8 threads on the imported transformer (attention, GELU) give the
 * sequential results (to float rounding). Before the fix of issue 19's 8-thread "race" (DJL's {@code Number}
 * overloads leave autograd a scalar in a Java direct buffer that a GC frees before the backward
 * pass), 65 of 20,000 such calls returned garbage (NaN, 1e12 and more). Minutes long, so tagged
 * {@code soak}; run it with {@code mvn -B -pl captum-attr -am test -Psoak}.
 */
@Tag("soak")
class GradientRaceSoakTest {

    private static final int THREADS = 8;
    private static final int CALLS = 20_000;
    private static final int DISTINCT = 16;

    @Test
    void eightThreadsGiveTheSequentialGradientsOnEveryCall() throws Exception {
        Fixture fixture = Fixture.TRANSFORMER_BLOCK;
        Saliency saliency = new Saliency(fixture.model());
        try (NDManager manager = NDManager.newBaseManager()) {
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < DISTINCT; i++) {
                expected.add(gradient(saliency, fixture, manager, i));
            }
            AtomicInteger wrong = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int c = 0; c < CALLS; c++) {
                    int input = c % DISTINCT;
                    calls.add(
                            pool.submit(
                                    () -> {
                                        float[] got = gradient(saliency, fixture, manager, input);
                                        if (!close(got, expected.get(input))) {
                                            wrong.incrementAndGet();
                                        }
                                    }));
                }
                for (Future<?> f : calls) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf(
                    Locale.ROOT,
                    "soak gradient race: %d threads, %d calls, %d differ from sequential%n",
                    THREADS,
                    CALLS,
                    wrong.get());
            assertThat(wrong.get()).isZero();
        }
    }

    /** Equal up to float rounding (intra-op threads may sum in another order). */
    private static boolean close(float[] got, float[] want) {
        for (int k = 0; k < want.length; k++) {
            if (!(Math.abs(got[k] - want[k]) <= 1e-5f + 1e-4f * Math.abs(want[k]))) {
                return false;
            }
        }
        return got.length == want.length;
    }

    private static float[] gradient(
            Saliency saliency, Fixture fixture, NDManager manager, int input) {
        try (NDManager local = manager.newSubManager()) {
            Inputs in = fixture.inputs(local, 100 + input);
            try (Attribution a = saliency.attribute(in, fixture.target())) {
                return a.attribution(0).toFloatArray();
            }
        }
    }
}
