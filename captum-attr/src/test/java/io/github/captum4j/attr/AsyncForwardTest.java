package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.AsyncForwardFunction;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A model behind futures (Captum's attribute_future): several passes in flight, same result. */
class AsyncForwardTest {

    private static final int IN_FLIGHT = 4;

    private NDManager manager;
    private ExecutorService pool;
    private final ForwardFunction model = TestModels.mlp(12, 7, 3, 11);

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        pool = Executors.newFixedThreadPool(IN_FLIGHT);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        manager.close();
    }

    private Inputs inputs() {
        return Inputs.of(manager.create(TestModels.gaussian(36, 5), new Shape(3, 12)));
    }

    /**
     * Each pass completes only once {@code IN_FLIGHT} passes were started (or after 10 s, which
     * the test then reports): the engine must keep four batches in flight.
     */
    @Test
    void fourBatchesInFlightGiveTheSynchronousResult() {
        CountDownLatch started = new CountDownLatch(IN_FLIGHT);
        AtomicBoolean starved = new AtomicBoolean();
        AtomicInteger passes = new AtomicInteger();
        AsyncForwardFunction remote =
                (rows, args) -> {
                    passes.incrementAndGet();
                    started.countDown();
                    return CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    starved.compareAndSet(
                                            false, !started.await(10, TimeUnit.SECONDS));
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return model.forward(rows, args);
                            },
                            pool);
                };
        FeatureAblation.Options o =
                FeatureAblation.Options.builder().perturbationsPerEval(2).build();
        Inputs in = inputs();
        new FeatureAblation(model).attribute(in, Target.index(1), o).close(); // warm-up
        int before = manager.getManagedArrays().size();
        float[] expected;
        float[] actual;
        try (Attribution sync = new FeatureAblation(model).attribute(in, Target.index(1), o);
                Attribution async =
                        new FeatureAblation(ForwardFunction.async(remote, IN_FLIGHT))
                                .attribute(in, Target.index(1), o)) {
            expected = sync.attribution(0).toFloatArray();
            actual = async.attribution(0).toFloatArray();
        }
        assertThat(actual).containsExactly(expected);
        // 12 features + the unperturbed batch, 2 per pass.
        assertThat(passes.get()).isEqualTo(7);
        assertThat(starved.get()).as("fewer than 4 passes were in flight").isFalse();
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void aFailedFutureGivesAnAttributionExceptionAndLeaksNothing() {
        AtomicInteger passes = new AtomicInteger();
        AsyncForwardFunction remote =
                (rows, args) -> {
                    int p = passes.incrementAndGet();
                    return CompletableFuture.supplyAsync(
                            () -> {
                                if (p == 3) {
                                    throw new IllegalStateException("HTTP 503 from the model server");
                                }
                                return model.forward(rows, args);
                            },
                            pool);
                };
        FeatureAblation fa = new FeatureAblation(ForwardFunction.async(remote, IN_FLIGHT));
        FeatureAblation.Options o =
                FeatureAblation.Options.builder().perturbationsPerEval(2).build();
        Inputs in = inputs();
        new FeatureAblation(model).attribute(in, Target.index(1), o).close(); // warm-up
        int before = manager.getManagedArrays().size();
        assertThatThrownBy(() -> fa.attribute(in, Target.index(1), o))
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("asynchronous forward function failed")
                .hasMessageContaining("HTTP 503 from the model server")
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        // The next call works.
        passes.set(100);
        try (Attribution a = fa.attribute(in, Target.index(1), o)) {
            assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(3, 12));
        }
        assertThatThrownBy(() -> ForwardFunction.async(remote, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchesInFlight");
    }

    @Test
    void outputsMadeInAnotherManagerAreReleased() {
        try (NDManager remoteSide = NDManager.newBaseManager()) {
            AsyncForwardFunction remote =
                    (rows, args) -> {
                        float[] values = model.forward(rows, args).toFloatArray();
                        NDArray out =
                                remoteSide.create(values, new Shape(rows.get(0).getShape().get(0), 3));
                        return CompletableFuture.completedFuture(out);
                    };
            Inputs in = inputs();
            try (Attribution a =
                    new FeatureAblation(ForwardFunction.async(remote, 2))
                            .attribute(
                                    in,
                                    Target.index(0),
                                    FeatureAblation.Options.builder().perturbationsPerEval(3).build())) {
                assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(3, 12));
            }
            assertThat(remoteSide.getManagedArrays()).isEmpty();
        }
    }
}
