package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerFeatureAblation;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.approx.ApproximationMethod;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The generated options builders: start from the defaults or a copy; the record validates. */
class OptionsBuilderTest {

    @Test
    void builderStartsFromTheDefaultsAndToBuilderFromTheOptions() {
        assertThat(IntegratedGradients.Options.builder().build())
                .isEqualTo(IntegratedGradients.Options.DEFAULTS);
        LayerConductance.Options o =
                LayerConductance.Options.builder()
                        .nSteps(7)
                        .method(ApproximationMethod.RIEMANN_TRAPEZOID)
                        .internalBatchSize(3)
                        .returnConvergenceDelta(true)
                        .attributeToLayerInput(true)
                        .build();
        assertThat(o)
                .isEqualTo(
                        new LayerConductance.Options(
                                7,
                                ApproximationMethod.RIEMANN_TRAPEZOID,
                                3,
                                true,
                                true,
                                ProgressListener.NONE));
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.toBuilder().nSteps(9).build().nSteps()).isEqualTo(9);
        assertThat(o.nSteps()).as("the source is untouched").isEqualTo(7);
    }

    @Test
    void buildRunsTheRecordsValidationAndRethrowsItsMessage() {
        assertThatThrownBy(() -> IntegratedGradients.Options.builder().nSteps(0).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nSteps");
        assertThatThrownBy(() -> GradientShap.Options.builder().stdevs(-1).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stdevs");
    }

    @Test
    void doubleSettersKeepEveryValue() {
        assertThat(GradientShap.Options.builder().stdevs(0.5, 0.25).build().stdevs())
                .isEqualTo(List.of(0.5, 0.25));
        assertThat(NoiseTunnel.Options.builder().stdevs(2.0).build().stdevs())
                .isEqualTo(List.of(2.0));
    }

    @Test
    void aComponentSetToNullStaysNullAndOthersKeepTheirValue() {
        IntegratedGradients.Options o =
                IntegratedGradients.Options.builder().internalBatchSize(4).build();
        assertThat(o.toBuilder().internalBatchSize(null).build().internalBatchSize()).isNull();
        assertThat(o.toBuilder().nSteps(3).build())
                .isEqualTo(
                        new IntegratedGradients.Options(
                                3, ApproximationMethod.GAUSS_LEGENDRE, 4, false, null));
        assertThat(DataLoaderAttribution.Options.builder().build())
                .isEqualTo(DataLoaderAttribution.Options.DEFAULTS);
        assertThat(FeatureAblation.Options.builder().featureMask().build())
                .isEqualTo(FeatureAblation.Options.DEFAULTS);
    }

    @Test
    void fromAnotherPathMethodsOptionsCopiesThePathGroupOnly() {
        NeuronConductance.Options n =
                NeuronConductance.Options.builder()
                        .nSteps(7)
                        .method(ApproximationMethod.RIEMANN_LEFT)
                        .internalBatchSize(3)
                        .attributeToNeuronInput(true)
                        .build();
        assertThat(IntegratedGradients.Options.builder().from(n).build())
                .isEqualTo(
                        new IntegratedGradients.Options(
                                7, ApproximationMethod.RIEMANN_LEFT, 3, false, null));
    }

    @Test
    void generatedWithersChangeOneComponentAndValidate() {
        assertThat(LayerGradCam.Options.DEFAULTS.withReluAttributions(true))
                .isEqualTo(new LayerGradCam.Options(false, true, true));
        assertThat(LayerGradCam.Options.DEFAULTS.withAttrDimSummation(true))
                .isSameAs(LayerGradCam.Options.DEFAULTS);
        assertThatThrownBy(() -> LayerFeatureAblation.Options.DEFAULTS.withPerturbationsPerEval(0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("perturbationsPerEval");
    }
}
