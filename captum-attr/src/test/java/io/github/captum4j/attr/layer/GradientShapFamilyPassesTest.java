package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.SamplingOptions;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.testing.TestModels;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * The sampling methods' passes: {@code internalBatchSize} of Layer and Neuron GradientShap only
 * splits the draws (the result equals one pass), and GradientShap, its layer and neuron variants
 * and NoiseTunnel report every pass to {@code progress} (done 1..total) without the listener
 * changing the result.
 */
class GradientShapFamilyPassesTest extends TabularProgressTestBase {

    private static final int N = 4;
    private static final int SAMPLES = 7;
    private static final LayerPath FC1 = LayerPath.of("fc1");
    private static final NeuronSelector NEURON = NeuronSelector.index(3);

    private Inputs inputs() {
        NDArray x = manager.create(TestModels.gaussian(N * 10, 7), new Shape(N, 10));
        NDArray references = manager.create(TestModels.gaussian(5 * 10, 8), new Shape(5, 10));
        return Inputs.of(x).withBaselines(Baselines.distribution(references));
    }

    /** The draws every GradientShap variant here makes: 7 per example, noise 0.3, seed 11. */
    private static <B extends SamplingOptions.Builder<B, ?>> B sampled(
            B builder, Integer internalBatchSize, ProgressListener progress) {
        return builder.nSamples(SAMPLES)
                .stdevs(0.3)
                .seed(11)
                .internalBatchSize(internalBatchSize)
                .progress(progress);
    }

    /** Layer GradientShap with a delta: all of the call, one draw per pass or several. */
    private Attribution layer(Integer internalBatchSize, ProgressListener progress) {
        return new LayerGradientShap(model, FC1)
                .attribute(
                        inputs(),
                        Target.index(1),
                        sampled(LayerGradientShap.Options.builder(), internalBatchSize, progress)
                                .returnConvergenceDelta(true)
                                .build());
    }

    private Attribution neuron(Integer internalBatchSize, ProgressListener progress) {
        return new NeuronGradientShap(model, FC1)
                .attribute(
                        inputs(),
                        NEURON,
                        Target.none(),
                        sampled(NeuronGradientShap.Options.builder(), internalBatchSize, progress)
                                .build());
    }

    private Attribution gradientShap(Integer internalBatchSize, ProgressListener progress) {
        return new GradientShap(model.forwardFunction())
                .attribute(
                        inputs(),
                        Target.index(1),
                        sampled(GradientShap.Options.builder(), internalBatchSize, progress)
                                .build());
    }

    /** NoiseTunnel over IG in batches of {@code batch} noisy samples, baselines drawn per row. */
    private Attribution noiseTunnel(Integer batch, ProgressListener progress) {
        return new NoiseTunnel<>(new IntegratedGradients(model.forwardFunction()))
                .attribute(
                        inputs(),
                        Target.index(1),
                        NoiseTunnel.Options.builder()
                                .ntType(NoiseTunnel.Type.VARGRAD)
                                .ntSamples(SAMPLES)
                                .ntSamplesBatchSize(batch)
                                .stdevs(0.2)
                                .seed(3)
                                .drawBaselineFromDistrib(true)
                                .progress(progress)
                                .build(),
                        IntegratedGradients.Options.builder().nSteps(5).build());
    }

    Stream<Arguments> batchedCalls() {
        return Stream.of(1, 5, 1000)
                .flatMap(
                        size ->
                                Stream.of(
                                        Arguments.of("LayerGradientShap", (Caller) this::layer, size),
                                        Arguments.of("NeuronGradientShap", (Caller) this::neuron, size)));
    }

    /**
     * One draw per pass, one draw of every example and one more, all draws: the attributions (and
     * Layer GradientShap's delta per draw) equal one pass.
     */
    @ParameterizedTest(name = "{0} internalBatchSize={2}")
    @MethodSource("batchedCalls")
    void internalBatchSizeDoesNotChangeTheResult(String name, Caller call, int internalBatchSize) {
        try (Attribution one = call.call(null, null);
                Attribution split = call.call(internalBatchSize, null)) {
            assertThat(split.attribution(0).toFloatArray())
                    .containsExactly(one.attribution(0).toFloatArray(), Offset.offset(1e-5f));
            assertThat(split.convergenceDelta().isPresent())
                    .isEqualTo(one.convergenceDelta().isPresent());
            one.convergenceDelta()
                    .ifPresent(
                            d ->
                                    assertThat(split.convergenceDelta().orElseThrow().toFloatArray())
                                            .hasSize(N * SAMPLES)
                                            .containsExactly(d.toFloatArray(), Offset.offset(1e-5f)));
        }
    }

    /** A sampling method called with a pass size and a listener (or none), and its passes. */
    record Method(String name, Caller call, int passSize, long passes) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Calls a method with a pass size and a listener. */
    @FunctionalInterface
    interface Caller {
        Attribution call(Integer passSize, ProgressListener progress);
    }

    Stream<Arguments> methods() {
        // 8 rows of 4 examples = 2 draws per pass: ceil(7 / 2) = 4 passes; NoiseTunnel: ceil(7 / 3)
        return Stream.of(
                        new Method("GradientShap", this::gradientShap, 8, 4),
                        new Method("LayerGradientShap", this::layer, 8, 4),
                        new Method("NeuronGradientShap", this::neuron, 8, 4),
                        new Method("NoiseTunnel(IntegratedGradients)", this::noiseTunnel, 3, 3),
                        new Method(
                                "NoiseTunnel(IntegratedGradients), one batch",
                                this::noiseTunnel,
                                SAMPLES,
                                1))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void reportsEveryPassInOrderAndChangesNothing(Method method) {
        assertReportsEveryPass(p -> method.call().call(method.passSize(), p), method.passes());
    }
}
