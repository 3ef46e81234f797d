package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contracts every algorithm of {@link AlgorithmRegistry} must keep: output shapes, argument
 * checks, failure handling, no leaks, thread safety and seeded determinism.
 */
class ContractSuiteTest {

    private static final int BATCH = AlgorithmRegistry.BATCH;

    private static final ForwardFunction MODEL = AlgorithmRegistry.model();

    private NDManager manager;

    static List<AlgorithmSpec> algorithms() {
        return AlgorithmRegistry.all();
    }

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Inputs inputs(long seed) {
        return AlgorithmRegistry.inputs(manager, seed);
    }

    private static Target target() {
        return AlgorithmRegistry.target();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void returnsOneAttributionPerInputWithItsShapeAndType(AlgorithmSpec spec) {
        Inputs in = inputs(1);
        try (Attribution a = spec.factory.apply(MODEL).attribute(in, target(), 5)) {
            assertThat(a.attributions()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(a.attribution(i).getShape()).isEqualTo(in.get(i).getShape());
                assertThat(a.attribution(i).getDataType()).isEqualTo(in.get(i).getDataType());
                assertThat(a.attribution(i).getManager()).isSameAs(manager);
            }
            if (spec.deltaPerExample > 0) {
                NDArrayAssert.assertThat(a.convergenceDelta().orElseThrow())
                        .hasShape((long) BATCH * spec.deltaPerExample);
            }
            assertThat(a.method()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsBaselinesOfTheWrongShapeOrBaselinesItDoesNotUse(AlgorithmSpec spec) {
        Inputs in = inputs(2);
        NDArray wrong = manager.zeros(new Shape(BATCH, 2, 4));
        Inputs bad = in.withBaselines(Baselines.perInput(0, wrong));
        String expected =
                spec.usesBaselines
                        ? "baselines[1] shape (" + BATCH + ", 2, 4) does not match inputs[1] shape"
                        : "does not use baselines";
        assertThatThrownBy(() -> spec.factory.apply(MODEL).attribute(bad, target(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsTargetsThatDoNotSelectOneValuePerExample(AlgorithmSpec spec) {
        AlgorithmSpec.Call call = spec.factory.apply(MODEL);
        Inputs in = inputs(3);
        assertThatThrownBy(() -> call.attribute(in, Target.index(7), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target index 7 is out of range for dimension 1 of size 3");
        assertThatThrownBy(() -> call.attribute(in, Target.none(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target is required: forward output has shape");
        assertThatThrownBy(() -> call.attribute(in, Target.perExample(0, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must hold one entry per example (3), got 2 entries");
        ForwardFunction scalar = (x, args) -> MODEL.forward(x, args).sum(new int[] {1});
        assertThatThrownBy(() -> spec.factory.apply(scalar).attribute(in, Target.index(0), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has only 0 non-batch dimensions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsInvalidOptionsNamingTheArgument(AlgorithmSpec spec) {
        for (AlgorithmSpec.InvalidOption bad : spec.invalidOptions) {
            assertThatThrownBy(() -> bad.options().get())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsNonFiniteInputs(AlgorithmSpec spec) {
        assumeThat(spec.gradients).as("gradient methods cannot use NaN inputs").isTrue();
        NDArray x1 =
                manager.create(
                        new float[] {0, 1, Float.NaN, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                        new Shape(BATCH, 5));
        Inputs in = Inputs.of(x1, manager.zeros(new Shape(BATCH, 2, 3)));
        assertThatThrownBy(() -> spec.factory.apply(MODEL).attribute(in, target(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs[0] must be finite");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void gradientMethodsRejectIntegerInputsAndBlackBoxes(AlgorithmSpec spec) {
        assumeThat(spec.gradients).isTrue();
        Inputs ints =
                Inputs.of(
                        manager.zeros(new Shape(BATCH, 5), DataType.INT64),
                        manager.zeros(new Shape(BATCH, 2, 3)));
        assertThatThrownBy(() -> spec.factory.apply(MODEL).attribute(ints, target(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs[0] must be floating point");
        assertThatThrownBy(() -> spec.method.apply(ForwardFunction.blackBox(MODEL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forwardFunction must be differentiable");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aFailingForwardPropagatesItsCauseLeaksNothingAndTheNextCallWorks(AlgorithmSpec spec) {
        Inputs in = inputs(4);
        int before = manager.getManagedArrays().size();
        for (int failAt = 1; failAt <= 2; failAt++) {
            AtomicInteger calls = new AtomicInteger();
            int at = failAt;
            ForwardFunction failing =
                    (x, args) -> {
                        if (calls.incrementAndGet() >= at) {
                            throw new EngineException("injected failure at call " + at);
                        }
                        return MODEL.forward(x, args);
                    };
            AlgorithmSpec.Call call = spec.factory.apply(failing);
            try {
                call.attribute(in, target(), 1).close();
                assertThat(failAt)
                        .as("only the first call can be the last forward")
                        .isGreaterThan(1);
            } catch (AttributionException e) {
                assertThat(e)
                        .hasRootCauseInstanceOf(EngineException.class)
                        .hasMessageContaining("injected failure");
            }
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        }
        try (Attribution a = spec.factory.apply(MODEL).attribute(in, target(), 1)) {
            assertThat(a.attributions()).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void manyCallsLeaveTheCallersManagerUnchanged(AlgorithmSpec spec) {
        Inputs in = inputs(5);
        AlgorithmSpec.Call call = spec.factory.apply(MODEL);
        call.attribute(in, target(), 1).close();
        int before = manager.getManagedArrays().size();
        int masksBefore = AlgorithmRegistry.maskManagerArrays();
        for (int i = 0; i < 100; i++) {
            call.attribute(in, target(), i).close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        assertThat(AlgorithmRegistry.maskManagerArrays()).isEqualTo(masksBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void eightThreadsAtOnceGiveTheSequentialResults(AlgorithmSpec spec) throws Exception {
        AlgorithmSpec.Call call = spec.factory.apply(MODEL);
        int tasks = 16;
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            sequential.add(run(call, t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int task = t;
                futures.add(pool.submit(() -> run(call, task)));
            }
            for (int t = 0; t < tasks; t++) {
                float[] expected = sequential.get(t);
                float[] actual = futures.get(t).get();
                for (int k = 0; k < expected.length; k++) {
                    assertThat(actual[k])
                            .as("task %d element %d", t, k)
                            .isCloseTo(
                                    expected[k],
                                    org.assertj.core.data.Offset.offset(
                                            1e-6f + 1e-5f * Math.abs(expected[k])));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One task: its own inputs (from its index) and seed, in its own manager. */
    private float[] run(AlgorithmSpec.Call call, int task) {
        try (NDManager local = manager.newSubManager()) {
            NDArray x1 =
                    local.create(TestModels.gaussian(BATCH * 5, 100 + task), new Shape(BATCH, 5));
            NDArray x2 =
                    local.create(
                            TestModels.gaussian(BATCH * 6, 200 + task), new Shape(BATCH, 2, 3));
            try (Attribution a = call.attribute(Inputs.of(x1, x2), target(), 1000 + task)) {
                float[] a0 = a.attribution(0).toFloatArray();
                float[] a1 = a.attribution(1).toFloatArray();
                float[] out = Arrays.copyOf(a0, a0.length + a1.length);
                System.arraycopy(a1, 0, out, a0.length, a1.length);
                return out;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void theSameSeedGivesBitIdenticalResultsAndOtherSeedsDiffer(AlgorithmSpec spec) {
        assumeThat(spec.stochastic).isTrue();
        AlgorithmSpec.Call call = spec.factory.apply(MODEL);
        Inputs in = inputs(6);
        try (Attribution a = call.attribute(in, target(), 7);
                Attribution b = call.attribute(in, target(), 7);
                Attribution c = call.attribute(in, target(), 8)) {
            for (int i = 0; i < 2; i++) {
                NDArrayAssert.assertThat(a.attribution(i)).isIdenticalTo(b.attribution(i));
            }
            assertThat(
                            Arrays.equals(
                                    a.attribution(0).toFloatArray(),
                                    c.attribution(0).toFloatArray()))
                    .isFalse();
        }
    }
}
