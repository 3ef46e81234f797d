package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.captum4j.attr.layer.InternalInfluence;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerGradientShap;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.core.approx.ApproximationMethod;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/** The option groups are declared once: every member validates them alike. */
class OptionGroupsTest {

    /** Each path method's options with {@code nSteps} set through its builder. */
    static Stream<Arguments> pathOptions() {
        return Stream.of(
                Arguments.of(
                        "IntegratedGradients",
                        (IntFunction<Record>)
                                n -> IntegratedGradients.Options.builder().nSteps(n).build()),
                Arguments.of(
                        "LayerIntegratedGradients",
                        (IntFunction<Record>)
                                n -> LayerIntegratedGradients.Options.builder().nSteps(n).build()),
                Arguments.of(
                        "LayerConductance",
                        (IntFunction<Record>)
                                n -> LayerConductance.Options.builder().nSteps(n).build()),
                Arguments.of(
                        "InternalInfluence",
                        (IntFunction<Record>)
                                n -> InternalInfluence.Options.builder().nSteps(n).build()),
                Arguments.of(
                        "NeuronIntegratedGradients",
                        (IntFunction<Record>)
                                n -> NeuronIntegratedGradients.Options.builder().nSteps(n).build()),
                Arguments.of(
                        "NeuronConductance",
                        (IntFunction<Record>)
                                n -> NeuronConductance.Options.builder().nSteps(n).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathOptions")
    void everyPathMethodRejectsFewerThanOneStepReportingTheValueGiven(
            String method, IntFunction<Record> withSteps) {
        // LayerConductance used to check nSteps + 1: it accepted 0 and reported -1 as "got 0"
        assertThatThrownBy(() -> withSteps.apply(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nSteps must be >= 1, got 0");
        assertThatThrownBy(() -> withSteps.apply(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nSteps must be >= 1, got -1");
        assertThat(withSteps.apply(2)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathOptions")
    void buildersStartFromCaptumsDefaults(String method, IntFunction<Record> withSteps) {
        assertThat(withSteps.apply(50).toString()).contains("nSteps=50");
    }

    @Test
    void conductanceCountsSegmentsSoOneSegmentIsEnoughForRiemannRules() {
        // one segment = two quadrature points, which every Riemann rule accepts
        assertThat(
                        LayerConductance.Options.builder()
                                .nSteps(1)
                                .method(ApproximationMethod.RIEMANN_LEFT)
                                .build()
                                .nSteps())
                .isEqualTo(1);
        assertThatThrownBy(
                        () ->
                                IntegratedGradients.Options.builder()
                                        .nSteps(1)
                                        .method(ApproximationMethod.RIEMANN_LEFT)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps must be >= 2 for RIEMANN_LEFT");
    }

    @Test
    void everySamplingMethodValidatesItsGroupAlike() {
        List<IntFunction<Record>> withSamples =
                List.of(
                        n -> GradientShap.Options.builder().nSamples(n).build(),
                        n -> LayerGradientShap.Options.builder().nSamples(n).build(),
                        n -> NeuronGradientShap.Options.builder().nSamples(n).build());
        for (IntFunction<Record> build : withSamples) {
            assertThatThrownBy(() -> build.apply(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nSamples must be >= 1, got 0");
        }
        assertThatThrownBy(() -> LayerGradientShap.Options.builder().stdevs(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stdevs must be finite and >= 0");
        assertThatThrownBy(() -> NeuronGradientShap.Options.builder().stdevs().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stdevs must hold at least one value");
    }
}
