package io.github.captum4j.attr.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.AttributionMethod;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;

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

    private Inputs inputs(AlgorithmSpec spec, long seed) {
        return spec.fixture.inputs(manager, seed);
    }

    /** The spec's valid target: none for methods that explain a layer or neuron value. */
    private static Target target(AlgorithmSpec spec) {
        return spec.targetChecked ? spec.fixture.target() : Target.none();
    }

    private static ForwardFunction model(AlgorithmSpec spec) {
        return spec.fixture.model();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void returnsOneAttributionPerInputWithItsShapeAndType(AlgorithmSpec spec) {
        Inputs in = inputs(spec, 1);
        try (Attribution a = spec.factory.apply(model(spec)).attribute(in, target(spec), 5)) {
            List<Shape> expected = spec.shapes.apply(in);
            assertThat(a.attributions()).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(a.attribution(i).getShape()).isEqualTo(expected.get(i));
                assertThat(a.attribution(i).getDataType()).isEqualTo(in.get(0).getDataType());
                assertThat(a.attribution(i).getManager()).isSameAs(manager);
            }
            if (spec.deltaPerExample > 0) {
                NDArrayAssert.assertThat(a.convergenceDelta().orElseThrow())
                        .hasShape((long) spec.fixture.batch() * spec.deltaPerExample);
            }
            assertThat(a.method()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void resultsRecordTheirProvenanceAndTheFlagsAgreeWithTheSpec(AlgorithmSpec spec) {
        AttributionMethod<?> method = spec.method.apply(model(spec));
        MethodInfo<?> info = method.info();
        assertThat(info.usesBaselines()).as("usesBaselines").isEqualTo(spec.usesBaselines);
        // a method that accepts what the suite's gradient contracts reject is exempted from them
        assertThat(!info.acceptsIntegerInputs() || spec.integerInputs || !spec.gradients)
                .as("acceptsIntegerInputs")
                .isTrue();
        assertThat(!info.acceptsNonFiniteInputs() || !spec.gradients)
                .as("acceptsNonFiniteInputs")
                .isTrue();
        assertThat(info.hasConvergenceDelta()).isEqualTo(method.hasConvergenceDelta());
        Inputs in = inputs(spec, 5);
        try (Attribution a = spec.factory.apply(model(spec)).attribute(in, target(spec), 3)) {
            Provenance p = a.provenance();
            assertThat(p.method()).isEqualTo(info);
            assertThat(a.method()).isEqualTo(method.name());
            assertThat(p.target()).isEqualTo(target(spec));
            assertThat(p.options().getClass()).isEqualTo(method.defaultOptions().getClass());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aBaselineOfOneExamplesShapeEqualsItRepeatedOverTheBatch(AlgorithmSpec spec) {
        assumeThat(spec.usesBaselines).as("the method reads no baselines").isTrue();
        Inputs in = inputs(spec, 4);
        Inputs other = inputs(spec, 9);
        // Captum's layer_baselines have the layer's shape, that of the attributions
        List<Shape> layers = spec.layerBaselines ? spec.shapes.apply(in) : null;
        int count = layers != null ? layers.size() : in.size();
        Object[] oneExample = new Object[count];
        Object[] repeated = new Object[count];
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < count; i++) {
            NDArray row;
            if (layers != null) {
                Shape example = layers.get(i).slice(1);
                float[] values = new float[(int) example.size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) random.nextGaussian();
                }
                row = manager.create(values, example);
            } else {
                row = other.get(i).get(0);
            }
            oneExample[i] = row;
            repeated[i] = row.expandDims(0).repeat(0, in.batchSize());
        }
        AlgorithmSpec.Call call = spec.factory.apply(model(spec));
        try (Attribution single =
                        call.attribute(
                                in.withBaselines(Baselines.perInput(oneExample)), target(spec), 3);
                Attribution batch =
                        call.attribute(
                                in.withBaselines(Baselines.perInput(repeated)), target(spec), 3)) {
            for (int i = 0; i < batch.attributions().size(); i++) {
                NDArrayAssert.assertThat(single.attribution(i))
                        .isCloseTo(batch.attribution(i), 1e-4, 1e-6);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsBaselinesOfTheWrongShapeOrBaselinesItDoesNotUse(AlgorithmSpec spec) {
        Inputs in = inputs(spec, 2);
        int last = in.size() - 1;
        long[] dims = in.get(last).getShape().getShape().clone();
        dims[dims.length - 1]++;
        Object[] values = new Object[in.size()];
        java.util.Arrays.fill(values, 0);
        values[last] = manager.zeros(new Shape(dims));
        Inputs bad = in.withBaselines(Baselines.perInput(values));
        String expected =
                spec.usesBaselines
                        ? "baselines["
                                + last
                                + "] shape "
                                + io.github.captum4j.core.internal.Checks.shape(new Shape(dims))
                                + " does not match inputs["
                                + last
                                + "] shape"
                        : "does not use baselines";
        assertThatThrownBy(() -> spec.factory.apply(model(spec)).attribute(bad, target(spec), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsTargetsThatDoNotSelectOneValuePerExample(AlgorithmSpec spec) {
        assumeThat(spec.targetChecked).as("neuron methods explain a neuron, not a target").isTrue();
        AlgorithmSpec.Call call = spec.factory.apply(model(spec));
        Inputs in = inputs(spec, 3);
        int outOfRange = spec.fixture.outputs() + 4;
        assertThatThrownBy(() -> call.attribute(in, Target.index(outOfRange), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "target index "
                                + outOfRange
                                + " is out of range for dimension 1 of size "
                                + spec.fixture.outputs());
        assertThatThrownBy(() -> call.attribute(in, Target.none(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target is required: forward output has shape");
        assertThatThrownBy(() -> call.attribute(in, Target.perExample(0, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must hold one entry per example (3), got 2 entries");
        if (!spec.fixture.lambda()) {
            return; // a scalar variant of an imported model would be a lambda the method rejects
        }
        ForwardFunction scalar = (x, args) -> model(spec).forward(x, args).sum(new int[] {1});
        assertThatThrownBy(() -> spec.factory.apply(scalar).attribute(in, Target.index(0), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has only 0 non-batch dimensions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void rejectsInvalidOptionsNamingTheArgument(AlgorithmSpec spec) {
        @SuppressWarnings("unchecked")
        AttributionMethod<Record> method =
                (AttributionMethod<Record>) spec.method.apply(model(spec));
        Inputs in = inputs(spec, 4);
        assertThatThrownBy(() -> method.attribute(in, target(spec), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("options must not be null");
        // flags and optional hooks (a functional interface such as DeepLift's
        // customAttributionFunc: any function or none) have no invalid value
        boolean validated =
                Arrays.stream(method.defaultOptions().getClass().getRecordComponents())
                        // a function (Captum's custom_attribution_func) has no invalid value
                        .anyMatch(
                                c ->
                                        c.getType() != boolean.class
                                                && !c.getType()
                                                        .isAnnotationPresent(FunctionalInterface.class));
        if (validated) {
            assertThat(spec.invalidOptions)
                    .as(
                            "%s: options with a component other than a flag register an invalid value",
                            spec)
                    .isNotEmpty();
        }
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
        Inputs valid = inputs(spec, 7);
        float[] first = valid.get(0).toFloatArray();
        first[2] = Float.NaN;
        NDList tensors = valid.tensors();
        tensors.set(0, manager.create(first, valid.get(0).getShape()));
        Inputs in = Inputs.of(tensors);
        assertThatThrownBy(() -> spec.factory.apply(model(spec)).attribute(in, target(spec), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs[0] must be finite");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void gradientMethodsRejectIntegerInputsAndBlackBoxes(AlgorithmSpec spec) {
        assumeThat(spec.gradients).isTrue();
        if (!spec.integerInputs) {
            NDList tensors = inputs(spec, 8).tensors();
            tensors.set(0, manager.zeros(tensors.get(0).getShape(), DataType.INT64));
            Inputs ints = Inputs.of(tensors);
            assertThatThrownBy(
                            () -> spec.factory.apply(model(spec)).attribute(ints, target(spec), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("inputs[0] must be floating point");
        }
        assertThatThrownBy(() -> spec.method.apply(ForwardFunction.blackBox(model(spec))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        spec.fixture.lambda() ? "forwardFunction must be differentiable" : "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aFailingForwardPropagatesItsCauseLeaksNothingAndTheNextCallWorks(AlgorithmSpec spec) {
        assumeThat(spec.fixture.lambda())
                .as("a failing variant of an imported model would be a lambda the method rejects")
                .isTrue();
        Inputs in = inputs(spec, 4);
        int before = manager.getManagedArrays().size();
        for (int failAt = 1; failAt <= 2; failAt++) {
            AtomicInteger calls = new AtomicInteger();
            int at = failAt;
            ForwardFunction failing =
                    (x, args) -> {
                        if (calls.incrementAndGet() >= at) {
                            throw new EngineException("injected failure at call " + at);
                        }
                        return model(spec).forward(x, args);
                    };
            AlgorithmSpec.Call call = spec.factory.apply(failing);
            try {
                call.attribute(in, target(spec), 1).close();
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
        try (Attribution a = spec.factory.apply(model(spec)).attribute(in, target(spec), 1)) {
            assertThat(a.attributions()).hasSize(spec.shapes.apply(in).size());
        }
    }

    /**
     * A model whose output lands in another manager (a forward such as {@code x -> w.matMul(x)}
     * with a long-lived {@code w}): the library's intermediates still belong to the call, so that
     * manager and the caller's are unchanged (issue 19 item 5).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void aForwardOutputInAnotherManagerLeavesNothingThere(AlgorithmSpec spec) {
        assumeThat(spec.fixture.lambda())
                .as("an imported model computes in the inputs' manager")
                .isTrue();
        Inputs in = inputs(spec, 6);
        try (NDManager weights = NDManager.newBaseManager()) {
            NDArray w = weights.zeros(new Shape());
            ForwardFunction elsewhere = (x, args) -> w.add(model(spec).forward(x, args));
            AlgorithmSpec.Call call = spec.factory.apply(elsewhere);
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                call.attribute(in, target(spec), i).close();
            }
            assertThat(weights.getManagedArrays()).as("the model's manager").hasSize(1);
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void manyCallsLeaveTheCallersManagerUnchanged(AlgorithmSpec spec) {
        Inputs in = inputs(spec, 5);
        AlgorithmSpec.Call call = spec.factory.apply(model(spec));
        call.attribute(in, target(spec), 1).close();
        int before = manager.getManagedArrays().size();
        int masksBefore = AlgorithmRegistry.maskManagerArrays();
        for (int i = 0; i < 100; i++) {
            call.attribute(in, target(spec), i).close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        assertThat(AlgorithmRegistry.maskManagerArrays()).isEqualTo(masksBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void eightThreadsAtOnceGiveTheSequentialResults(AlgorithmSpec spec) throws Exception {
        AlgorithmSpec.Call call = spec.factory.apply(model(spec));
        int tasks = 16;
        List<float[]> sequential = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            sequential.add(run(spec, call, t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                int task = t;
                futures.add(pool.submit(() -> run(spec, call, task)));
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
    private float[] run(AlgorithmSpec spec, AlgorithmSpec.Call call, int task) {
        try (NDManager local = manager.newSubManager()) {
            Inputs in = spec.fixture.inputs(local, 100 + 10L * task);
            try (Attribution a = call.attribute(in, target(spec), 1000 + task)) {
                float[] out = new float[0];
                for (NDArray t : a.attributions()) {
                    float[] v = t.toFloatArray();
                    float[] joined = Arrays.copyOf(out, out.length + v.length);
                    System.arraycopy(v, 0, joined, out.length, v.length);
                    out = joined;
                }
                return out;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void theSameSeedGivesBitIdenticalResultsAndOtherSeedsDiffer(AlgorithmSpec spec) {
        assumeThat(spec.stochastic).isTrue();
        AlgorithmSpec.Call call = spec.factory.apply(model(spec));
        Inputs in = inputs(spec, 6);
        try (Attribution a = call.attribute(in, target(spec), 7);
                Attribution b = call.attribute(in, target(spec), 7);
                Attribution c = call.attribute(in, target(spec), 8)) {
            for (int i = 0; i < a.attributions().size(); i++) {
                NDArrayAssert.assertThat(a.attribution(i)).isIdenticalTo(b.attribution(i));
            }
            assertThat(
                            Arrays.equals(
                                    a.attribution(0).toFloatArray(),
                                    c.attribution(0).toFloatArray()))
                    .isFalse();
        }
    }

    /**
     * {@code attribute(inputs, Target.many(...), options)} with the method's defaults (seeded when
     * the options have a seed): one attribution per target, each equal to its single call and
     * carrying its target, and nothing left behind in the caller's manager.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void targetManyEqualsTheSingleCalls(AlgorithmSpec spec) {
        manyEqualsSingles(spec.method.apply(model(spec)), spec);
    }

    private <O extends Record> void manyEqualsSingles(AttributionMethod<O> m, AlgorithmSpec spec) {
        O options = seeded(m.defaultOptions(), 5);
        Inputs in = inputs(spec, 2);
        List<Target> ts =
                spec.targetChecked
                        ? List.of(target(spec), Target.index(0), target(spec))
                        : List.of(Target.none(), Target.none());
        List<Attribution> singles = new ArrayList<>();
        try {
            for (Target t : ts) {
                singles.add(m.attribute(in, t, options));
            }
        } catch (IllegalArgumentException e) {
            singles.forEach(Attribution::close);
            assumeThat(false)
                    .as("the defaults do not fit this fixture: %s", e.getMessage())
                    .isTrue();
        }
        int before = manager.getManagedArrays().size();
        List<Attribution> many = m.attribute(in, Target.many(ts.toArray(new Target[0])), options);
        assertThat(many).hasSize(ts.size());
        for (int k = 0; k < ts.size(); k++) {
            try (Attribution a = many.get(k)) {
                assertThat(a.provenance().target()).isEqualTo(ts.get(k));
                assertThat(a.attributions()).hasSameSizeAs(singles.get(k).attributions());
                for (int i = 0; i < a.attributions().size(); i++) {
                    assertThat(a.attribution(i).getShape())
                            .isEqualTo(singles.get(k).attribution(i).getShape());
                    assertThat(a.attribution(i).toFloatArray())
                            .as("target %s, attribution %s", ts.get(k), i)
                            .containsExactly(
                                    singles.get(k).attribution(i).toFloatArray(),
                                    org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        singles.forEach(Attribution::close);
    }

    /** The options with their {@code seed} component (if any) set. */
    @SuppressWarnings("unchecked")
    private static <O extends Record> O seeded(O options, int seed) {
        java.lang.reflect.RecordComponent[] comps = options.getClass().getRecordComponents();
        Object[] values = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        boolean hasSeed = false;
        try {
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                values[i] = comps[i].getAccessor().invoke(options);
                if (comps[i].getName().equals("seed") && types[i] == Integer.class) {
                    values[i] = seed;
                    hasSeed = true;
                }
            }
            if (!hasSeed) {
                return options;
            }
            return (O) options.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A perturbation method on an asynchronous model ({@code ForwardFunction.async}, 4 batches in
     * flight, each forward on a pool thread) gives the synchronous result bit for bit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void anAsynchronousModelGivesTheSynchronousResult(AlgorithmSpec spec) throws Exception {
        assumeThat(!spec.gradients && spec.fixture.lambda())
                .as("a perturbation method on the lambda model")
                .isTrue();
        ForwardFunction model = model(spec);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ForwardFunction async =
                    ForwardFunction.async(
                            (rows, args) ->
                                    java.util.concurrent.CompletableFuture.supplyAsync(
                                            () -> model.forward(rows, args), pool),
                            4);
            Inputs in = inputs(spec, 3);
            try (Attribution sync = spec.factory.apply(model).attribute(in, target(spec), 4);
                    Attribution remote =
                            spec.factory.apply(async).attribute(in, target(spec), 4)) {
                for (int i = 0; i < sync.attributions().size(); i++) {
                    NDArrayAssert.assertThat(remote.attribution(i))
                            .isIdenticalTo(sync.attribution(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
