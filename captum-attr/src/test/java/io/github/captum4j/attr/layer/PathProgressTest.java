package io.github.captum4j.attr.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Every path method reports its forward + backward passes to the {@code progress} option: done
 * counts 1, 2, ..., total with total = ceil(points / steps per pass), and the listener changes
 * nothing in the result.
 */
class PathProgressTest extends TabularProgressTestBase {

    private static final int N = 4;
    private static final int STEPS = 10;
    /** 12 rows per pass = 3 steps of 4 examples. */
    private static final int INTERNAL_BATCH = 12;

    /** A path method called with a listener (or none) and the number of points it walks. */
    record Method(String name, BiFunction<Inputs, ProgressListener, Attribution> call, int points) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> methods() {
        LayerPath fc1 = LayerPath.of("fc1");
        Target t = Target.index(1);
        NeuronSelector n3 = NeuronSelector.index(3);
        return Stream.of(
                        new Method(
                                "IntegratedGradients",
                                (in, p) ->
                                        new IntegratedGradients(model.forwardFunction())
                                                .attribute(
                                                        in,
                                                        t,
                                                        IntegratedGradients.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS),
                        new Method(
                                "LayerIntegratedGradients",
                                (in, p) ->
                                        new LayerIntegratedGradients(model, fc1)
                                                .attribute(
                                                        in,
                                                        t,
                                                        LayerIntegratedGradients.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS),
                        new Method(
                                "LayerConductance",
                                (in, p) ->
                                        new LayerConductance(model, fc1)
                                                .attribute(
                                                        in,
                                                        t,
                                                        LayerConductance.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS + 1),
                        new Method(
                                "InternalInfluence",
                                (in, p) ->
                                        new InternalInfluence(model, fc1)
                                                .attribute(
                                                        in,
                                                        t,
                                                        InternalInfluence.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS),
                        new Method(
                                "NeuronConductance",
                                (in, p) ->
                                        new NeuronConductance(model, fc1)
                                                .attribute(
                                                        in,
                                                        n3,
                                                        t,
                                                        NeuronConductance.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS),
                        new Method(
                                "NeuronIntegratedGradients",
                                (in, p) ->
                                        new NeuronIntegratedGradients(model, fc1)
                                                .attribute(
                                                        in,
                                                        n3,
                                                        Target.none(),
                                                        NeuronIntegratedGradients.Options.builder()
                                                                .nSteps(STEPS)
                                                                .internalBatchSize(INTERNAL_BATCH)
                                                                .progress(p)
                                                                .build()),
                                STEPS))
                .map(Arguments::of);
    }

    private Inputs inputs() {
        NDArray x = manager.create(TestModels.gaussian(N * 10, 7), new Shape(N, 10));
        return Inputs.of(x);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void reportsEveryPassInOrderAndChangesNothing(Method method) {
        Inputs in = inputs();
        int stepsPerPass = INTERNAL_BATCH / N;
        assertReportsEveryPass(
                p -> method.call().apply(in, p),
                (method.points() + stepsPerPass - 1) / stepsPerPass);
    }
}
