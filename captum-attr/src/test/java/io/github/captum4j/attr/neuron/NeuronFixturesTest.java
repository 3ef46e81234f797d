package io.github.captum4j.attr.neuron;

import io.github.captum4j.attr.layer.GoldenCases;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Golden cases of the neuron methods on the imported (Block) form of the fixture models. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NeuronFixturesTest {

    private final GoldenCases cases = new GoldenCases();

    @AfterAll
    void close() {
        cases.close();
    }

    @Test
    void readmeNeuronConductanceLin1Neuron1Toy() {
        cases.check(
                "readme_neuron_conductance_lin1_n1_toy",
                (m, l) -> new NeuronConductance(m, l).atNeuron(NeuronSelector.index(1)),
                NeuronConductance.Options.DEFAULTS);
    }

    @Test
    void neuronConductanceTabularFc1Neuron5InBatchesOfSteps() {
        cases.check(
                "neuron_conductance_tabular_fc1_n5",
                (m, l) -> new NeuronConductance(m, l).atNeuron(NeuronSelector.index(5)),
                NeuronConductance.Options.builder().internalBatchSize(7).build());
    }

    @Test
    void neuronGradientTabularFc2Neuron3() {
        cases.check(
                "neuron_gradient_tabular_fc2_n3",
                (m, l) -> new NeuronGradient(m, l).atNeuron(NeuronSelector.index(3)),
                NeuronGradient.Options.DEFAULTS);
    }

    @Test
    void neuronIntegratedGradientsTabularFc2Neuron3() {
        cases.check(
                "neuron_ig_tabular_fc2_n3",
                (m, l) -> new NeuronIntegratedGradients(m, l).atNeuron(NeuronSelector.index(3)),
                NeuronIntegratedGradients.Options.DEFAULTS);
    }

    @Test
    void neuronGradientShapTabularMatchesTheSeedMean() {
        NeuronGradientShap ngs =
                new NeuronGradientShap(cases.model("tabular_mlp"), LayerPath.of("fc2"));
        cases.checkSeedMean(
                "neuron_gradient_shap_tabular",
                (in, seed) ->
                        ngs.attribute(
                                in,
                                NeuronSelector.index(3),
                                Target.none(),
                                NeuronGradientShap.Options.builder()
                                        .nSamples(10)
                                        .seed(seed)
                                        .build()),
                100);
    }

    @Test
    void neuronFeatureAblationTabularFc2Neuron5() {
        cases.check(
                "neuron_feature_ablation_tabular_fc2",
                (m, l) -> new NeuronFeatureAblation(m, l).atNeuron(NeuronSelector.index(5)),
                NeuronFeatureAblation.Options.builder().perturbationsPerEval(4).build());
    }
}
