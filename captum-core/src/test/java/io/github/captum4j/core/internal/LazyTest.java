package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

class LazyTest {

    @Test
    void computesOnceForAllThreads() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Lazy<Integer> lazy = new Lazy<>(() -> 40 + calls.incrementAndGet() + 1);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    start.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                seen.add(lazy.get());
                            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(calls.get()).isEqualTo(1);
        assertThat(seen).hasSize(8).containsOnly(42);
        assertThat(lazy.get()).isEqualTo(42);
    }

    @Test
    void aFailedComputationIsTriedAgain() {
        AtomicInteger calls = new AtomicInteger();
        Lazy<String> lazy =
                new Lazy<>(
                        () -> {
                            if (calls.incrementAndGet() == 1) {
                                throw new IllegalStateException("first try fails");
                            }
                            return "ok";
                        });
        assertThatThrownBy(lazy::get).isInstanceOf(IllegalStateException.class);
        assertThat(lazy.get()).isEqualTo("ok");
        assertThat(lazy.get()).isEqualTo("ok");
        assertThat(calls.get()).isEqualTo(2);
    }
}
