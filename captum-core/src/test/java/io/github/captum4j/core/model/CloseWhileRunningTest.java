package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closing a model while other threads run it (issue 19 item 1): calls in flight finish, later
 * calls fail with a clear exception, and nothing touches freed memory (before the fix the JVM died
 * with SIGSEGV in a native op reading a freed weight).
 */
class CloseWhileRunningTest {

    private static final int THREADS = 4;

    @Test
    void importedModelClosedDuringGradientPasses() throws Exception {
        for (int round = 0; round < 6; round++) {
            try (NDManager base = NDManager.newBaseManager()) {
                ImportedModel model =
                        ImportedModel.load(Fixtures.modelJson("tiny_resnet"), base);
                runAndClose(model.forwardFunction(), model, base, new Shape(2, 3, 32, 32));
            }
        }
    }

    @Test
    void torchScriptModelClosedDuringGradientPasses() throws Exception {
        String root = System.getProperty("captum4j.fixtures", "../src-test-resources");
        for (int round = 0; round < 4; round++) {
            try (NDManager base = NDManager.newBaseManager()) {
                TorchScriptModel model =
                        TorchScriptModel.load(
                                java.nio.file.Path.of(root, "models", "tiny_resnet.pt"));
                runAndClose(model.forwardFunction(), model, base, new Shape(2, 3, 32, 32));
            }
        }
    }

    private static void runAndClose(
            ForwardFunction f, AutoCloseable model, NDManager base, Shape shape)
            throws Exception {
        AtomicInteger done = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread th =
                    new Thread(
                            () -> {
                                boolean first = true;
                                while (true) {
                                    try (NDManager m = base.newSubManager()) {
                                        NDList x =
                                                new NDList(m.randomNormal(shape));
                                        Gradients.compute(f, x, List.of(), Target.index(0));
                                        done.incrementAndGet();
                                        if (first) {
                                            first = false;
                                            started.countDown(); // closes while calls are running
                                        }
                                    } catch (IllegalStateException | AttributionException e) {
                                        if (!String.valueOf(e.getMessage()).contains("closed")) {
                                            unexpected.add(e);
                                        }
                                        refused.incrementAndGet();
                                        return;
                                    } catch (Throwable e) {
                                        unexpected.add(e);
                                        started.countDown();
                                        return;
                                    }
                                }
                            });
            threads.add(th);
            th.start();
        }
        started.await();
        model.close();
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertThat(unexpected).isEmpty();
        assertThat(refused.get()).isEqualTo(THREADS);
        assertThat(done.get()).isGreaterThanOrEqualTo(THREADS);
    }
}
