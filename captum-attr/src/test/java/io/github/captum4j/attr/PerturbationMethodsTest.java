package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** What every perturbation method guarantees: black boxes, no leaks, seeds, progress, checks. */
class PerturbationMethodsTest {

    /** Each method with small options, as a call taking a seed and a progress listener. */
    enum Method {
        FEATURE_ABLATION(
                f -> {
                    FeatureAblation m = new FeatureAblation(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    FeatureAblation.Options.builder()
                                            .perturbationsPerEval(2)
                                            .progress(p)
                                            .build());
                }),
        OCCLUSION(
                f -> {
                    Occlusion m = new Occlusion(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    Occlusion.Options.builder()
                                            .slidingWindowShapes(2)
                                            .perturbationsPerEval(3)
                                            .progress(p)
                                            .build());
                }),
        FEATURE_PERMUTATION(
                f -> {
                    FeaturePermutation m = new FeaturePermutation(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in.withBaselines(Baselines.zeros()),
                                    Target.index(1),
                                    FeaturePermutation.Options.builder()
                                            .seed(seed)
                                            .progress(p)
                                            .build());
                }),
        SHAPLEY_VALUE_SAMPLING(
                f -> {
                    ShapleyValueSampling m = new ShapleyValueSampling(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    ShapleyValueSampling.Options.builder()
                                            .nSamples(3)
                                            .perturbationsPerEval(4)
                                            .seed(seed)
                                            .progress(p)
                                            .build());
                }),
        SHAPLEY_VALUES(
                f -> {
                    ShapleyValues m = new ShapleyValues(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    ShapleyValues.Options.DEFAULTS
                                            .withPerturbationsPerEval(8)
                                            .withProgress(p));
                }),
        LIME(
                f -> {
                    Lime m = new Lime(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    Lime.Options.builder()
                                            .nSamples(20)
                                            .perturbationsPerEval(7)
                                            .seed(seed)
                                            .progress(p)
                                            .build());
                }),
        KERNEL_SHAP(
                f -> {
                    KernelShap m = new KernelShap(f);
                    return (in, seed, p) ->
                            m.attribute(
                                    in,
                                    Target.index(1),
                                    Lime.Options.builder()
                                            .nSamples(20)
                                            .perturbationsPerEval(10)
                                            .seed(seed)
                                            .progress(p)
                                            .build());
                });

        final Function<ForwardFunction, Call> build;

        Method(Function<ForwardFunction, Call> build) {
            this.build = build;
        }
    }

    @FunctionalInterface
    interface Call {
        Attribution run(Inputs inputs, Integer seed, ProgressListener progress);
    }

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Inputs inputs() {
        NDArray x = manager.create(TestModels.gaussian(15, 3), new Shape(3, 5));
        NDArray b = manager.create(TestModels.gaussian(5, 4), new Shape(1, 5)).mul(0.1f);
        return Inputs.of(x).withBaselines(Baselines.tensors(b));
    }

    private static ForwardFunction model() {
        return ForwardFunction.blackBox(TestModels.mlp(5, 7, 2, 11));
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void acceptsABlackBoxAndReturnsTheInputShape(Method method) {
        Inputs in = inputs();
        try (Attribution a = method.build.apply(model()).run(in, 0, ProgressListener.NONE)) {
            NDArrayAssert.assertThat(a.attribution(0)).hasShape(3, 5);
            assertThat(a.convergenceDelta()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void leavesNoArrayBehindAfterManyCallsAndAfterAFailure(Method method) {
        Inputs in = inputs();
        Call call = method.build.apply(model());
        call.run(in, 0, ProgressListener.NONE).close(); // warm-up: lazily created engine state
        int before = manager.getManagedArrays().size();
        for (int r = 0; r < 15; r++) {
            call.run(in, r, ProgressListener.NONE).close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        AtomicInteger calls = new AtomicInteger();
        ForwardFunction failing =
                ForwardFunction.blackBox(
                        (x, args) -> {
                            if (calls.incrementAndGet() == 2) {
                                throw new EngineException("boom");
                            }
                            return TestModels.mlp(5, 7, 2, 11).forward(x, args);
                        });
        assertThatThrownBy(() -> method.build.apply(failing).run(in, 0, ProgressListener.NONE))
                .isInstanceOf(AttributionException.class)
                .hasMessageContaining("boom");
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void theSameSeedGivesTheSameNumbers(Method method) {
        Inputs in = inputs();
        Call call = method.build.apply(model());
        try (Attribution a = call.run(in, 5, ProgressListener.NONE);
                Attribution b = call.run(in, 5, ProgressListener.NONE)) {
            NDArrayAssert.assertThat(a.attribution(0)).isIdenticalTo(b.attribution(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void reportsEveryForwardPassUpToTheAnnouncedTotal(Method method) {
        Inputs in = inputs();
        AtomicInteger forwards = new AtomicInteger();
        ForwardFunction counting =
                ForwardFunction.blackBox(
                        (x, args) -> {
                            forwards.incrementAndGet();
                            return TestModels.mlp(5, 7, 2, 11).forward(x, args);
                        });
        List<long[]> seen = new ArrayList<>();
        method.build
                .apply(counting)
                .run(in, 0, (task, done, total) -> seen.add(new long[] {done, total}))
                .close();
        assertThat(seen).hasSize(forwards.get());
        long[] last = seen.get(seen.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(forwards.get());
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void runsEveryForwardWithoutRecordingGradients(Method method) {
        boolean callersMode = Torch.gradMode();
        List<Boolean> modes = new ArrayList<>();
        ForwardFunction recording =
                (x, args) -> {
                    modes.add(Torch.gradMode());
                    return TestModels.mlp(5, 7, 2, 11).forward(x, args);
                };
        Torch.setGradMode(true);
        try {
            method.build.apply(recording).run(inputs(), 0, ProgressListener.NONE).close();
            assertThat(modes).isNotEmpty().containsOnly(false);
            assertThat(Torch.gradMode()).isTrue();
        } finally {
            Torch.setGradMode(callersMode);
        }
    }

    @Test
    void theConsoleBarDrawsTheTaskAndEndsItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener bar =
                ProgressListener.console(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Method.OCCLUSION.build.apply(model()).run(inputs(), 0, bar).close();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("Occlusion attribution [")
                .contains("\r")
                .contains("3/3 (100%)")
                .endsWith(System.lineSeparator());
    }

    @Test
    void badOptionsNameTheArgument() {
        assertThatThrownBy(() -> FeatureAblation.Options.builder().perturbationsPerEval(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perturbationsPerEval must be >= 1, got 0");
        assertThatThrownBy(() -> ShapleyValueSampling.Options.builder().nSamples(0).build())
                .hasMessage("nSamples must be >= 1, got 0");
        assertThatThrownBy(() -> Lime.Options.builder().nSamples(-1).build())
                .hasMessage("nSamples must be >= 1, got -1");
        assertThatThrownBy(() -> Occlusion.Options.builder().strides(0).build())
                .hasMessageContaining("strides[0] must be >= 1");
        assertThatThrownBy(() -> InterpretableModel.lasso(-1))
                .hasMessage("alpha must be finite and >= 0, got -1.0");
        assertThatThrownBy(
                        () ->
                                Lime.SimilarityFunction.exponentialKernel(
                                        Lime.DistanceMode.COSINE, 0))
                .hasMessageContaining("kernelWidth must be finite and > 0");
        Inputs in = inputs();
        assertThatThrownBy(() -> new FeaturePermutation(model()).attribute(in, Target.index(0)))
                .hasMessageContaining("baselines: Feature Permutation does not use baselines");
        assertThatThrownBy(() -> new Occlusion(model()).attribute(in, Target.index(0)))
                .hasMessage("slidingWindowShapes must hold one window per input (1), got 0");
        assertThatThrownBy(
                        () -> new FeatureAblation(model()).attribute(in, Target.perExample(0, 1)))
                .hasMessageContaining("target must hold one entry per example (3), got 2");
    }
}
