package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.ArrayForward;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FeatureAblation of one float32 input runs on JVM arrays (an {@link ArrayForward} model as it is,
 * another synchronous model through an adapter); the same function as an asynchronous model runs
 * on the engine's tensor path. Both must give the same passes, the same progress and the same
 * attributions bit for bit, and the same errors.
 */
class ArrayForwardAblationTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * (N, 2, 3) -> (N, 4): a non-linear function of all six values, seeded; records each pass's
     * shape and a hash of its rows.
     */
    private static ArrayForward model(List<long[]> passes) {
        float[] w = TestModels.gaussian(24, 5);
        return (rows, shape) -> {
            long[] seen = java.util.Arrays.copyOf(shape, shape.length + 1);
            seen[shape.length] = java.util.Arrays.hashCode(rows); // the rows themselves, not only their shape
            passes.add(seen);
            int n = (int) shape[0];
            float[] out = new float[n * 4];
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < 4; j++) {
                    float z = 0.1f * j;
                    for (int i = 0; i < 6; i++) {
                        z += w[j * 6 + i] * rows[r * 6 + i] * (1 + 0.5f * rows[r * 6 + (i + j) % 6]);
                    }
                    out[r * 4 + j] = (float) Math.sin(z);
                }
            }
            return new ArrayForward.Output(out, n, 4);
        };
    }

    /**
     * The same function as a model FeatureAblation runs on the tensor path: an asynchronous model
     * (one pass in flight, completed at once), which the JVM-array path leaves to the engine.
     */
    private static ForwardFunction tensorPath(ForwardFunction f) {
        return ForwardFunction.async(
                (rows, args) -> java.util.concurrent.CompletableFuture.completedFuture(f.forward(rows, args)), 1);
    }

    private NDArray x() {
        return manager.create(TestModels.gaussian(18, 9), new Shape(3, 2, 3));
    }

    /** The attributions of both paths, per target, as JVM values; asserts equal passes. */
    private List<float[]> bothPaths(Inputs in, Target.Many targets, FeatureAblation.Options o) {
        List<long[]> arrayPasses = new ArrayList<>();
        List<long[]> enginePasses = new ArrayList<>();
        ArrayForward onArrays = model(arrayPasses);
        ArrayForward counted = model(enginePasses);
        ForwardFunction onEngine = tensorPath(counted);
        List<Attribution> a = new FeatureAblation(onArrays).attribute(in, targets, o);
        List<Attribution> e = new FeatureAblation(onEngine).attribute(in, targets, o);
        assertThat(arrayPasses).as("passes of the JVM-array path").isNotEmpty();
        assertThat(arrayPasses).as("the same rows in the same passes").usingRecursiveComparison().isEqualTo(enginePasses);
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < a.size(); k++) {
            assertThat(a.get(k).attribution(0).getShape()).isEqualTo(in.get(0).getShape());
            out.add(sameValues(a.get(k), e.get(k), k));
            a.get(k).close();
            e.get(k).close();
        }
        return out;
    }

    /** Asserts equal attribution values (== per element) and returns them. */
    private static float[] sameValues(Attribution onArrays, Attribution onEngine, int target) {
        float[] av = onArrays.attribution(0).toFloatArray();
        float[] ev = onEngine.attribution(0).toFloatArray();
        assertThat(av).hasSameSizeAs(ev);
        for (int i = 0; i < av.length; i++) {
            assertThat(av[i] == ev[i]).as("target %s element %s: %s vs %s", target, i, av[i], ev[i]).isTrue();
        }
        return av;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 100})
    void equalsTheEnginePathWithDefaultFeaturesAndScalarBaselines(int ppe) {
        Inputs in = Inputs.of(x()).withBaselines(Baselines.scalar(0.5f));
        List<float[]> r = bothPaths(
                in,
                Target.many(Target.index(1), Target.perExample(0, 3, 2), Target.index(0)),
                FeatureAblation.Options.builder().perturbationsPerEval(ppe).build());
        assertThat(r).hasSize(3);
        assertThat(r.get(0)).as("every element ablated alone changes the output").doesNotContain(0f);
    }

    @Test
    void equalsTheEnginePathWithMasksOfEachFormAndTensorBaselines() {
        NDArray perExample = manager.create(
                new long[] {2, 2, 3, 3, 9, 9, 0, 1, 0, 1, 0, 1, 4, 4, 4, 4, 4, 4}, new Shape(3, 2, 3));
        NDArray broadcast = manager.create(new long[] {7, 5}, new Shape(1, 2, 1));
        NDArray oneExample = manager.create(TestModels.gaussian(6, 2), new Shape(1, 2, 3));
        NDArray perRow = manager.create(TestModels.gaussian(18, 3), new Shape(3, 2, 3));
        for (NDArray mask : List.of(perExample, broadcast)) {
            for (NDArray baseline : List.of(oneExample, perRow)) {
                for (boolean cross : new boolean[] {true, false}) {
                    Inputs in = Inputs.of(x()).withBaselines(Baselines.tensors(baseline));
                    List<float[]> r = bothPaths(
                            in,
                            Target.many(Target.index(3), Target.index(2)),
                            FeatureAblation.Options.builder()
                                    .featureMask(List.of(mask))
                                    .enableCrossTensorAttribution(cross)
                                    .perturbationsPerEval(3)
                                    .build());
                    // Elements of one group share its attribution.
                    if (mask == broadcast) {
                        assertThat(r.get(0)[0]).isEqualTo(r.get(0)[2]);
                        assertThat(r.get(0)[3]).isEqualTo(r.get(0)[5]);
                    }
                }
            }
        }
    }

    @Test
    void onAnAdditiveModelEachFeatureGetsItsOwnTermAndAnUnusedElementZero() {
        // f(x) = 2 x0 - 3 x1 + 0 x2 (per row of 3): ablation to 0 gives exactly w_e x_e.
        ArrayForward f = (rows, shape) -> {
            int n = (int) shape[0];
            float[] out = new float[n];
            for (int r = 0; r < n; r++) {
                out[r] = 2 * rows[3 * r] - 3 * rows[3 * r + 1];
            }
            return new ArrayForward.Output(out, n);
        };
        NDArray x = manager.create(new float[] {1, 2, 5, -1, 0.5f, 7}, new Shape(2, 3));
        try (Attribution a = new FeatureAblation(f).attribute(Inputs.of(x), Target.none())) {
            assertThat(a.attribution(0).toFloatArray()).containsExactly(2, -6, 0, -2, -1.5f, 0);
        }
    }

    /**
     * A model over NDArrays (here an MLP) with one float32 input also runs its bookkeeping on JVM
     * arrays, through the adapter: the same attributions bit for bit and the same passes as on the
     * tensor path.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void anyModelWithOneFloatInputIsAdaptedWithTheSameResults(int ppe) {
        ForwardFunction mlp = TestModels.mlp(6, 5, 3, 21);
        AtomicInteger adaptedRows = new AtomicInteger();
        AtomicInteger tensorRows = new AtomicInteger();
        ForwardFunction adapted = (in, args) -> {
            adaptedRows.addAndGet((int) in.get(0).getShape().get(0));
            return mlp.forward(in, args);
        };
        ForwardFunction viaEngine = (in, args) -> {
            tensorRows.addAndGet((int) in.get(0).getShape().get(0));
            return mlp.forward(in, args);
        };
        NDArray x = manager.create(TestModels.gaussian(18, 4), new Shape(3, 6));
        Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(-0.25f));
        FeatureAblation.Options o = FeatureAblation.Options.builder().perturbationsPerEval(ppe).build();
        Target.Many targets = Target.many(Target.index(2), Target.perExample(1, 0, 2));
        List<Attribution> a = new FeatureAblation(adapted).attribute(in, targets, o);
        List<Attribution> e = new FeatureAblation(tensorPath(viaEngine)).attribute(in, targets, o);
        assertThat(adaptedRows.get()).isEqualTo(tensorRows.get()).isEqualTo(7 * 3);
        for (int k = 0; k < 2; k++) {
            sameValues(a.get(k), e.get(k), k);
            a.get(k).close();
            e.get(k).close();
        }
    }

    /**
     * A model whose output is not float32 keeps its type: the adapter gives up at its first pass
     * (one forward more than the passes) and the tensor path computes in the output's type.
     */
    @Test
    void aModelWithAnotherOutputTypeRunsOnTheTensorPathInThatType() {
        ForwardFunction mlp = TestModels.mlp(6, 5, 3, 21);
        AtomicInteger calls = new AtomicInteger();
        ForwardFunction doubles = (in, args) -> {
            calls.incrementAndGet();
            return mlp.forward(in, args).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
        };
        NDArray x = manager.create(TestModels.gaussian(18, 4), new Shape(3, 6));
        FeatureAblation.Options o = FeatureAblation.Options.builder().perturbationsPerEval(4).build();
        try (Attribution a = new FeatureAblation(doubles).attribute(Inputs.of(x), Target.index(1), o);
                Attribution e = new FeatureAblation(tensorPath(doubles)).attribute(Inputs.of(x), Target.index(1), o)) {
            assertThat(calls.get()).as("2 passes and the adapter's one, then 2 passes").isEqualTo(5);
            assertThat(a.attribution(0).getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT64);
            assertThat(a.attribution(0).toDoubleArray()).containsExactly(e.attribution(0).toDoubleArray());
        }
    }

    @Test
    void reportsTheSameProgressAsTheEnginePath() {
        List<String> onArrays = new ArrayList<>();
        List<String> onEngine = new ArrayList<>();
        ArrayForward f = model(new ArrayList<>());
        Inputs in = Inputs.of(x());
        for (List<String> log : List.of(onArrays, onEngine)) {
            ForwardFunction m = log == onArrays ? f : tensorPath(f);
            new FeatureAblation(m)
                    .attribute(
                            in,
                            Target.index(0),
                            FeatureAblation.Options.builder()
                                    .perturbationsPerEval(4)
                                    .progress((task, done, total) -> log.add(task + " " + done + "/" + total))
                                    .build())
                    .close();
        }
        assertThat(onArrays).hasSize(2).isEqualTo(onEngine);
        assertThat(onArrays.get(0)).isEqualTo("Feature Ablation attribution 1/2");
    }

    @Test
    void rejectsNonFiniteTargetsAggregatedAndNullOutputsAsTheEnginePathDoes() {
        Inputs in = Inputs.of(x());
        ArrayForward nan = (rows, shape) -> {
            float[] out = new float[(int) shape[0]];
            out[out.length - 1] = rows[0] > 100 ? 0 : Float.NaN;
            return new ArrayForward.Output(out, shape[0]);
        };
        ArrayForward sum = (rows, shape) -> new ArrayForward.Output(new float[] {1f}, 1);
        ArrayForward nothing = (rows, shape) -> null;
        for (ArrayForward f : List.of(nan, sum, nothing)) {
            Throwable onArrays = catchFrom(f, in);
            Throwable onEngine = catchFrom(tensorPath(f), in);
            assertThat(onArrays).isNotNull().hasSameClassAs(onEngine).hasMessage(onEngine.getMessage());
        }
        assertThat(catchFrom(nan, in)).hasMessageContaining("NaN or infinite values for the target");
        assertThat(catchFrom(sum, in)).hasMessageContaining("one output row per input row");
        assertThat(catchFrom(nothing, in)).isInstanceOf(AttributionException.class).hasMessage("the forward function returned null");
    }

    private Throwable catchFrom(ForwardFunction f, Inputs in) {
        try (Attribution a = new FeatureAblation(f).attribute(in, Target.none())) {
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void aFailingModelPropagatesItsCauseLeaksNothingAndTheNextCallWorks() {
        Inputs in = Inputs.of(x());
        AtomicInteger calls = new AtomicInteger();
        ArrayForward good = model(new ArrayList<>());
        ArrayForward failing = (rows, shape) -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("injected failure");
            }
            return good.forwardArray(rows, shape);
        };
        FeatureAblation.Options o = FeatureAblation.Options.builder().perturbationsPerEval(2).build();
        FeatureAblation method = new FeatureAblation(failing);
        int before = manager.getManagedArrays().size();
        assertThatThrownBy(() -> method.attribute(in, Target.index(0), o))
                .isInstanceOf(AttributionException.class)
                .hasMessage("the forward function failed on inputs of shape (3, 2, 3) (run as a batch of 6"
                        + " rows): injected failure")
                .hasRootCauseMessage("injected failure");
        assertThat(manager.getManagedArrays()).hasSize(before);
        try (Attribution a = method.attribute(in, Target.index(0), o)) {
            assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(3, 2, 3));
        }
        assertThat(manager.getManagedArrays()).hasSize(before);
    }

    @Test
    void anArrayForwardIsABlackBoxThatTakesOneInputAndNoAdditionalArguments() {
        ArrayForward f = model(new ArrayList<>());
        assertThat(f.isDifferentiable()).isFalse();
        assertThatThrownBy(() -> new IntegratedGradients(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forwardFunction must be differentiable");
        Inputs two = Inputs.of(x(), x());
        assertThatThrownBy(() -> new FeatureAblation(f).attribute(two, Target.index(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an ArrayForward takes one input tensor, got 2 inputs");
        assertThatThrownBy(() -> new ArrayForward.Output(new float[3], 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 2] holds 4 values, got 3 values");
    }
}
