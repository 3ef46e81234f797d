package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code attribute(inputs, Target.many(...), options)}: K attributions equal to K single calls. */
class ManyTargetsTest {

    private static final Target.Many TARGETS =
            Target.many(Target.index(0), Target.perExample(2, 1, 0), Target.index(2));

    private NDManager manager;
    private final AtomicInteger forwards = new AtomicInteger();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private ForwardFunction model() {
        ForwardFunction mlp = TestModels.mlp(5, 7, 3, 11);
        return ForwardFunction.blackBox(
                (x, args) -> {
                    forwards.incrementAndGet();
                    return mlp.forward(x, args);
                });
    }

    private Inputs inputs() {
        return Inputs.of(manager.create(TestModels.gaussian(15, 3), new Shape(3, 5)));
    }

    private <O extends Record> void equalsSingleCalls(
            AttributionMethod<O> method, O options, boolean sharesPasses) {
        Inputs in = inputs();
        method.attribute(in, Target.index(0), options).close(); // warm-up: lazy engine state
        int before = manager.getManagedArrays().size();
        forwards.set(0);
        List<Attribution> many = method.attribute(in, TARGETS, options);
        int manyPasses = forwards.getAndSet(0);
        assertThat(many).hasSize(TARGETS.size());
        float[][] values = new float[TARGETS.size()][];
        for (int k = 0; k < TARGETS.size(); k++) {
            values[k] = many.get(k).attribution(0).toFloatArray();
            assertThat(many.get(k).provenance().target()).isEqualTo(TARGETS.targets().get(k));
            many.get(k).close();
        }
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        for (int k = 0; k < TARGETS.size(); k++) {
            try (Attribution single = method.attribute(in, TARGETS.targets().get(k), options)) {
                assertThat(values[k])
                        .containsExactly(
                                single.attribution(0).toFloatArray(),
                                org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
        int singlePasses = forwards.get() / TARGETS.size();
        // Shared: one call's forward passes for all K targets; otherwise K calls' worth.
        assertThat(manyPasses)
                .isEqualTo(sharesPasses ? singlePasses : TARGETS.size() * singlePasses);
    }

    @Test
    void featureAblationSharesItsForwardPasses() {
        equalsSingleCalls(
                new FeatureAblation(model()),
                FeatureAblation.Options.builder().perturbationsPerEval(2).build(),
                true);
        equalsSingleCalls(
                new FeatureAblation(model()),
                FeatureAblation.Options.builder()
                        .enableCrossTensorAttribution(false)
                        .perturbationsPerEval(3)
                        .build(),
                true);
    }

    @Test
    void featurePermutationSharesItsForwardPasses() {
        equalsSingleCalls(
                new FeaturePermutation(model()),
                FeaturePermutation.Options.builder().seed(4).perturbationsPerEval(2).build(),
                true);
    }

    @Test
    void otherMethodsMakeOneCallPerTarget() {
        equalsSingleCalls(
                new Occlusion(model()),
                Occlusion.Options.builder().slidingWindowShapes(2).build(),
                false);
        equalsSingleCalls(
                new ShapleyValueSampling(model()),
                ShapleyValueSampling.Options.builder().nSamples(3).seed(1).build(),
                false);
    }

    @Test
    void everyTargetIsCheckedBeforeAnyWork() {
        FeatureAblation fa = new FeatureAblation(model());
        forwards.set(0);
        assertThatThrownBy(
                        () ->
                                fa.attribute(
                                        inputs(),
                                        Target.many(Target.index(0), Target.perExample(1, 2)),
                                        FeatureAblation.Options.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target must hold one entry per example (3), got 2");
        assertThat(forwards.get()).isZero();
        assertThatThrownBy(() -> Target.many())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one target");
    }
}
