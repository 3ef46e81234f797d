package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.contract.Fixture;
import io.github.captum4j.attr.layer.InternalInfluence;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.layer.LayerGradientShap;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Torch;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.testing.TestModels;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code attribute(inputs, Target.many(...), options)} of the gradient families: K attributions
 * equal to K single calls, with each gradient pass's forward run once for all K targets.
 */
class GradientManyTargetsTest {

    private static final Target.Many TARGETS =
            Target.many(Target.index(0), Target.perExample(2, 1, 0), Target.index(2));

    private NDManager manager;

    /** Forward passes that recorded gradients, and all forward passes. */
    private final AtomicInteger gradForwards = new AtomicInteger();

    private final AtomicInteger forwards = new AtomicInteger();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private ForwardFunction counted() {
        ForwardFunction mlp = TestModels.mlp(5, 7, 3, 11);
        return (x, args) -> {
            forwards.incrementAndGet();
            if (Torch.gradMode()) {
                gradForwards.incrementAndGet();
            }
            return mlp.forward(x, args);
        };
    }

    private Inputs inputs() {
        return Inputs.of(manager.create(TestModels.gaussian(15, 3), new Shape(3, 5)));
    }

    /**
     * Runs the K targets in one call and one by one; asserts equal attributions (and deltas) and
     * returns the gradient forward passes of the call and of one single call.
     */
    private <O extends Record> int[] equalsSingleCalls(
            AttributionMethod<O> method, O options, Inputs in, Target.Many targets) {
        method.attribute(in, targets.targets().get(0), options).close(); // warm-up
        int before = manager.getManagedArrays().size();
        gradForwards.set(0);
        forwards.set(0);
        List<Attribution> many = method.attribute(in, targets, options);
        int manyGrad = gradForwards.getAndSet(0);
        int manyAll = forwards.getAndSet(0);
        assertThat(many).hasSize(targets.size());
        for (int k = 0; k < targets.size(); k++) {
            Target t = targets.targets().get(k);
            try (Attribution a = many.get(k);
                    Attribution single = method.attribute(in, t, options)) {
                assertThat(a.provenance().target()).isEqualTo(t);
                assertThat(a.attributions()).hasSameSizeAs(single.attributions());
                for (int i = 0; i < single.attributions().size(); i++) {
                    assertThat(a.attribution(i).getShape())
                            .isEqualTo(single.attribution(i).getShape());
                    assertThat(a.attribution(i).toFloatArray())
                            .as("%s, target %s, input %s", method.name(), t, i)
                            .containsExactly(
                                    single.attribution(i).toFloatArray(), Offset.offset(1e-6f));
                }
                assertThat(a.convergenceDelta().isPresent())
                        .isEqualTo(single.convergenceDelta().isPresent());
                if (single.convergenceDelta().isPresent()) {
                    assertThat(a.convergenceDelta().get().toFloatArray())
                            .containsExactly(
                                    single.convergenceDelta().get().toFloatArray(),
                                    Offset.offset(1e-6f));
                }
            }
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        int singleGrad = gradForwards.get() / targets.size();
        int singleAll = forwards.get() / targets.size();
        return new int[] {manyGrad, singleGrad, manyAll, singleAll};
    }

    /** Equal results, and every gradient pass's forward runs once for all targets. */
    private <O extends Record> void sharesGradientPasses(AttributionMethod<O> method, O options) {
        int[] n = equalsSingleCalls(method, options, inputs(), TARGETS);
        assertThat(n[1]).as("gradient passes of one call").isPositive();
        assertThat(n[0]).as("gradient passes of the K-target call").isEqualTo(n[1]);
        // forwards without gradients (convergence deltas) still run per target
        assertThat(n[2] - n[0]).isEqualTo(TARGETS.size() * (n[3] - n[1]));
    }

    @Test
    void saliencyAndInputXGradientRunOneForwardForAllTargets() {
        ForwardFunction f = counted();
        sharesGradientPasses(new Saliency(f), Saliency.Options.DEFAULTS);
        sharesGradientPasses(new Saliency(f), new Saliency.Options(false));
        sharesGradientPasses(new InputXGradient(f), InputXGradient.Options.DEFAULTS);
    }

    @Test
    void integratedGradientsSharesEveryPassOfThePath() {
        ForwardFunction f = counted();
        sharesGradientPasses(
                new IntegratedGradients(f),
                IntegratedGradients.Options.builder()
                        .nSteps(7)
                        .internalBatchSize(6) // 3 passes of 2 steps, 1 of 1
                        .returnConvergenceDelta(true)
                        .build());
        sharesGradientPasses(
                new IntegratedGradients(f, false), IntegratedGradients.Options.DEFAULTS);
    }

    @Test
    void seededGradientShapAndNoiseTunnelShareTheirPasses() {
        ForwardFunction f = counted();
        sharesGradientPasses(
                new GradientShap(f),
                GradientShap.Options.builder()
                        .nSamples(5)
                        .stdevs(0.1)
                        .seed(3)
                        .internalBatchSize(6)
                        .returnConvergenceDelta(true)
                        .build());
        sharesGradientPasses(
                new NoiseTunnel<>(new Saliency(f)),
                NoiseTunnel.Options.builder()
                        .ntType(NoiseTunnel.Type.SMOOTHGRAD_SQ)
                        .ntSamples(4)
                        .ntSamplesBatchSize(3)
                        .seed(8)
                        .build());
    }

    @Test
    void unseededDrawsAreNotSharedAcrossTargets() {
        // Without a seed every target draws its own noise: no pass may reuse another's graph, so
        // the same target twice gives two different averages.
        ForwardFunction f = counted();
        NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(new Saliency(f));
        NoiseTunnel.Options o = NoiseTunnel.Options.builder().ntSamples(3).stdevs(0.5).build();
        gradForwards.set(0);
        List<Attribution> two =
                nt.attribute(inputs(), Target.many(Target.index(1), Target.index(1)), o);
        assertThat(gradForwards.get()).isEqualTo(2);
        assertThat(two.get(0).attribution(0).toFloatArray())
                .isNotEqualTo(two.get(1).attribution(0).toFloatArray());
        two.forEach(Attribution::close);
    }

    @Test
    void layerAndNeuronMethodsEqualTheirSingleCalls() {
        LayerAccess model = LayerAccess.of(Fixture.TABULAR_BLOCK.model());
        LayerPath fc1 = LayerPath.of("fc1");
        Inputs in = Fixture.TABULAR_BLOCK.inputs(manager, 5);
        equalsSingleCalls(
                new LayerIntegratedGradients(model, fc1),
                LayerIntegratedGradients.Options.builder()
                        .nSteps(6)
                        .internalBatchSize(9)
                        .returnConvergenceDelta(true)
                        .build(),
                in,
                TARGETS);
        equalsSingleCalls(
                new LayerConductance(model, fc1),
                LayerConductance.Options.builder().nSteps(5).internalBatchSize(6).build(),
                in,
                TARGETS);
        equalsSingleCalls(
                new InternalInfluence(model, fc1), InternalInfluence.Options.DEFAULTS, in, TARGETS);
        equalsSingleCalls(
                new LayerGradientXActivation(model, fc1),
                LayerGradientXActivation.Options.DEFAULTS,
                in,
                TARGETS);
        equalsSingleCalls(new LayerGradCam(model, fc1), LayerGradCam.Options.DEFAULTS, in, TARGETS);
        equalsSingleCalls(
                new LayerGradientShap(model, fc1),
                LayerGradientShap.Options.builder().nSamples(4).seed(2).internalBatchSize(6).build(),
                in,
                TARGETS);
        NeuronSelector neuron = NeuronSelector.index(3);
        equalsSingleCalls(
                new NeuronConductance(model, LayerPath.of("fc2")).atNeuron(neuron),
                NeuronConductance.Options.builder().nSteps(4).build(),
                in,
                TARGETS);
        equalsSingleCalls(
                new NeuronGradientShap(model, fc1).atNeuron(neuron),
                NeuronGradientShap.Options.builder().nSamples(3).seed(1).build(),
                in,
                Target.many(Target.none(), Target.none()));
    }
}
