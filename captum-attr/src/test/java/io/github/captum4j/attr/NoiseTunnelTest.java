package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

class NoiseTunnelTest {

    private NDManager manager;
    private final ForwardFunction model = TestModels.mlp(5, 7, 3, 21);

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray x() {
        return manager.create(TestModels.gaussian(15, 5), new Shape(3, 5));
    }

    private NoiseTunnel.Options.Builder nt(NoiseTunnel.Type type) {
        return NoiseTunnel.Options.builder().ntType(type).ntSamples(4);
    }

    @Test
    void withZeroNoiseEachTypeReducesToTheWrappedMethod() {
        IntegratedGradients ig = new IntegratedGradients(model);
        NoiseTunnel<IntegratedGradients.Options> tunnel = new NoiseTunnel<>(ig);
        IntegratedGradients.Options igOpts =
                IntegratedGradients.Options.builder().nSteps(20).build();
        try (Attribution base = ig.attribute(Inputs.of(x()), Target.index(2), igOpts);
                Attribution sg =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(2),
                                nt(NoiseTunnel.Type.SMOOTHGRAD).stdevs(0).build(),
                                igOpts);
                Attribution sq =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(2),
                                nt(NoiseTunnel.Type.SMOOTHGRAD_SQ).stdevs(0).build(),
                                igOpts);
                Attribution vg =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(2),
                                nt(NoiseTunnel.Type.VARGRAD).stdevs(0).build(),
                                igOpts)) {
            NDArrayAssert.assertThat(sg.attribution(0)).isCloseTo(base.attribution(0), 1e-5, 1e-7);
            NDArrayAssert.assertThat(sq.attribution(0))
                    .isCloseTo(base.attribution(0).square(), 1e-5, 1e-7);
            NDArrayAssert.assertThat(vg.attribution(0)).isCloseTo(new double[15], 0, 1e-6);
        }
    }

    @Test
    void sameSeedGivesIdenticalResultsAndOtherSeedsDiffer() {
        NoiseTunnel<Saliency.Options> tunnel = new NoiseTunnel<>(new Saliency(model));
        NoiseTunnel.Options opts = nt(NoiseTunnel.Type.SMOOTHGRAD).stdevs(0.5).seed(42).build();
        try (Attribution a = tunnel.attribute(Inputs.of(x()), Target.index(0), opts);
                Attribution b = tunnel.attribute(Inputs.of(x()), Target.index(0), opts);
                Attribution c =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(0),
                                opts.toBuilder().seed(43).build())) {
            NDArrayAssert.assertThat(a.attribution(0)).isIdenticalTo(b.attribution(0));
            assertThat(
                            Arrays.equals(
                                    a.attribution(0).toFloatArray(),
                                    c.attribution(0).toFloatArray()))
                    .isFalse();
        }
    }

    @Test
    void batchingSamplesIsAveragedOverAllSamples() {
        // Saliency of a linear model is |w| whatever the noise: every batching gives it exactly.
        ForwardFunction linear = TestModels.linear(5, 2, 3);
        NoiseTunnel<Saliency.Options> tunnel = new NoiseTunnel<>(new Saliency(linear));
        try (Attribution whole =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(1),
                                nt(NoiseTunnel.Type.SMOOTHGRAD).ntSamples(7).build());
                Attribution parts =
                        tunnel.attribute(
                                Inputs.of(x()),
                                Target.index(1),
                                nt(NoiseTunnel.Type.SMOOTHGRAD)
                                        .ntSamples(7)
                                        .ntSamplesBatchSize(3)
                                        .build());
                Attribution plain =
                        new Saliency(linear).attribute(Inputs.of(x()), Target.index(1))) {
            NDArrayAssert.assertThat(whole.attribution(0))
                    .isCloseTo(plain.attribution(0), 1e-5, 1e-7);
            NDArrayAssert.assertThat(parts.attribution(0))
                    .isCloseTo(plain.attribution(0), 1e-5, 1e-7);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void convergenceDeltaHasOneEntryPerNoisyRow(int batchSize) {
        NoiseTunnel<IntegratedGradients.Options> tunnel =
                new NoiseTunnel<>(new IntegratedGradients(model));
        try (Attribution a =
                tunnel.attribute(
                        Inputs.of(x()),
                        Target.index(0),
                        nt(NoiseTunnel.Type.SMOOTHGRAD)
                                .stdevs(0.1)
                                .ntSamplesBatchSize(batchSize)
                                .build(),
                        IntegratedGradients.Options.builder()
                                .returnConvergenceDelta(true)
                                .build())) {
            NDArrayAssert.assertThat(a.convergenceDelta().orElseThrow()).hasShape(12);
            assertThat(a.convergenceDelta().orElseThrow().abs().max().getFloat()).isLessThan(1e-3f);
        }
    }

    @Test
    void badOptionsNameTheArgument() {
        assertThatThrownBy(() -> NoiseTunnel.Options.builder().ntSamples(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ntSamples must be >= 1, got 0");
        assertThatThrownBy(() -> NoiseTunnel.Options.builder().stdevs(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stdevs must be finite and >= 0, got [-1.0]");
        NoiseTunnel<Saliency.Options> tunnel = new NoiseTunnel<>(new Saliency(model));
        assertThatThrownBy(
                        () ->
                                tunnel.attribute(
                                        Inputs.of(x()),
                                        Target.index(0),
                                        NoiseTunnel.Options.builder().stdevs(1, 2).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stdevs must hold one value or one per input (1), got 2");
    }

    @Test
    void nothingLeaks() {
        NDArray x = x();
        int before = manager.getManagedArrays().size();
        NoiseTunnel<IntegratedGradients.Options> tunnel =
                new NoiseTunnel<>(new IntegratedGradients(model));
        for (int i = 0; i < 20; i++) {
            tunnel.attribute(
                            Inputs.of(x),
                            Target.index(1),
                            nt(NoiseTunnel.Type.VARGRAD).ntSamplesBatchSize(3).build(),
                            IntegratedGradients.Options.builder()
                                    .nSteps(5)
                                    .returnConvergenceDelta(true)
                                    .build())
                    .close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }
}
