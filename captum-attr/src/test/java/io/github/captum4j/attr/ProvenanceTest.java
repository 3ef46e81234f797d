package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.contract.Fixture;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import org.junit.jupiter.api.Test;

/** Results say which method, options, target, layer and neuron produced them. */
class ProvenanceTest {

    private static final LayerAccess MODEL = LayerAccess.of(Fixture.TABULAR_BLOCK.model());

    @Test
    void aPrimaryMethodRecordsItsFlagsOptionsAndTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = Fixture.TABULAR_BLOCK.inputs(m, 1);
            IntegratedGradients ig = new IntegratedGradients(MODEL.forwardFunction(), false);
            IntegratedGradients.Options o = IntegratedGradients.Options.builder().nSteps(4).build();
            try (Attribution a = ig.attribute(in, Target.index(2), o)) {
                Provenance p = a.provenance();
                assertThat(p.method()).isEqualTo(ig.info());
                assertThat(p.method().name()).isEqualTo("Integrated Gradients");
                assertThat(p.method().multipliesByInputs()).isFalse();
                assertThat(p.method().defaults()).isEqualTo(IntegratedGradients.Options.DEFAULTS);
                assertThat(p.options()).isSameAs(o);
                assertThat(p.target()).isEqualTo(Target.index(2));
                assertThat(p.layers()).isEmpty();
                assertThat(p.neuron()).isNull();
                assertThat(p.wrapped()).isNull();
            }
        }
    }

    @Test
    void layerAndNeuronMethodsRecordTheirLayerAndNeuron() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = Fixture.TABULAR_BLOCK.inputs(m, 2);
            LayerPath fc1 = LayerPath.of("fc1");
            try (Attribution a =
                    new LayerConductance(MODEL, fc1)
                            .attribute(
                                    in,
                                    Target.index(0),
                                    LayerConductance.Options.builder().nSteps(3).build())) {
                assertThat(a.provenance().layers()).containsExactly(fc1);
                assertThat(a.provenance().method().name()).isEqualTo("Layer Conductance");
            }
            NeuronSelector neuron = NeuronSelector.index(3);
            try (Attribution a =
                    new NeuronIntegratedGradients(MODEL, LayerPath.of("fc2"))
                            .attribute(in, neuron)) {
                Provenance p = a.provenance();
                assertThat(p.method().name()).isEqualTo("Neuron Integrated Gradients");
                assertThat(p.layers()).containsExactly(LayerPath.of("fc2"));
                assertThat(p.neuron()).isSameAs(neuron);
                assertThat(p.target()).isEqualTo(Target.none());
                assertThat(p.options()).isEqualTo(NeuronIntegratedGradients.Options.DEFAULTS);
            }
        }
    }

    @Test
    void noiseTunnelRecordsTheWrappedMethodsProvenance() {
        try (NDManager m = NDManager.newBaseManager()) {
            Inputs in = Fixture.TABULAR_BLOCK.inputs(m, 3);
            Saliency saliency = new Saliency(MODEL.forwardFunction());
            NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(saliency);
            NoiseTunnel.Options o = NoiseTunnel.Options.builder().ntSamples(2).seed(0).build();
            Saliency.Options inner = new Saliency.Options(false);
            try (Attribution a = nt.attribute(in, Target.index(1), o, inner)) {
                Provenance p = a.provenance();
                MethodInfo<?> info = p.method();
                assertThat(info.name()).isEqualTo("NoiseTunnel(Saliency)");
                assertThat(info.usesBaselines()).isEqualTo(saliency.usesBaselines());
                assertThat(p.options()).isSameAs(o);
                assertThat(p.wrapped())
                        .isEqualTo(Provenance.of(saliency.info(), inner, Target.index(1)));
            }
        }
    }
}
