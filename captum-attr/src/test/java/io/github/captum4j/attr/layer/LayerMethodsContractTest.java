package io.github.captum4j.attr.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronGradient;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.model.TorchScriptModel;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Contracts every layer and neuron method keeps, on both model forms of {@code tabular_mlp}:
 * nothing leaks into the caller's manager after many calls or after a throwing call, the result has
 * the layer's (or the input's) shape, a seed gives the same numbers, and a bad target is an {@link
 * IllegalArgumentException} that leaves the model usable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerMethodsContractTest {

    private static final int CALLS = 30;

    private final NDManager manager = NDManager.newBaseManager();
    private ImportedModel block;
    private final List<TorchScriptModel> scripts = new ArrayList<>();

    @AfterAll
    void close() {
        scripts.forEach(TorchScriptModel::close);
        if (block != null) {
            block.close();
        }
        manager.close();
    }

    /** One method under test: a call on (model, inputs, seed) and the shape it returns. */
    record Method(String name, BiFunction<LayerAccess, Inputs, Attribution> call, long[] shape) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Method> methods() {
        LayerPath fc1 = LayerPath.of("fc1");
        Target t = Target.index(1);
        NeuronSelector n3 = NeuronSelector.index(3);
        long[] layer = {4, 16};
        long[] input = {4, 10};
        return Stream.of(
                new Method(
                        "LayerActivation",
                        (m, in) -> new LayerActivation(m, fc1).attribute(in, Target.none()),
                        layer),
                new Method(
                        "LayerGradientXActivation",
                        (m, in) -> new LayerGradientXActivation(m, fc1).attribute(in, t),
                        layer),
                new Method(
                        "LayerGradCam",
                        (m, in) -> new LayerGradCam(m, fc1).attribute(in, t),
                        new long[] {4, 1}),
                new Method(
                        "InternalInfluence",
                        (m, in) ->
                                new InternalInfluence(m, fc1)
                                        .attribute(
                                                in,
                                                t,
                                                InternalInfluence.Options.builder()
                                                        .nSteps(8)
                                                        .internalBatchSize(12)
                                                        .build()),
                        layer),
                new Method(
                        "LayerConductance",
                        (m, in) ->
                                new LayerConductance(m, fc1)
                                        .attribute(
                                                in,
                                                t,
                                                LayerConductance.Options.builder()
                                                        .nSteps(8)
                                                        .internalBatchSize(12)
                                                        .returnConvergenceDelta(true)
                                                        .build()),
                        layer),
                new Method(
                        "LayerIntegratedGradients",
                        (m, in) ->
                                new LayerIntegratedGradients(m, fc1)
                                        .attribute(
                                                in,
                                                t,
                                                LayerIntegratedGradients.Options.builder()
                                                        .nSteps(8)
                                                        .internalBatchSize(12)
                                                        .returnConvergenceDelta(true)
                                                        .build()),
                        layer),
                new Method(
                        "LayerGradientShap",
                        (m, in) ->
                                new LayerGradientShap(m, fc1)
                                        .attribute(
                                                in,
                                                t,
                                                LayerGradientShap.Options.builder()
                                                        .nSamples(3)
                                                        .stdevs(0.1)
                                                        .seed(5)
                                                        .returnConvergenceDelta(true)
                                                        .build()),
                        layer),
                new Method(
                        "NeuronGradient",
                        (m, in) -> new NeuronGradient(m, fc1).attribute(in, n3),
                        input),
                new Method(
                        "NeuronIntegratedGradients",
                        (m, in) ->
                                new NeuronIntegratedGradients(m, fc1)
                                        .attribute(
                                                in,
                                                n3,
                                                Target.none(),
                                                NeuronIntegratedGradients.Options.builder()
                                                        .nSteps(8)
                                                        .build()),
                        input),
                new Method(
                        "NeuronConductance",
                        (m, in) ->
                                new NeuronConductance(m, fc1)
                                        .attribute(
                                                in,
                                                n3,
                                                t,
                                                NeuronConductance.Options.builder()
                                                        .nSteps(8)
                                                        .internalBatchSize(12)
                                                        .build()),
                        input),
                new Method(
                        "NeuronGradientShap",
                        (m, in) ->
                                new NeuronGradientShap(m, fc1)
                                        .attribute(
                                                in,
                                                n3,
                                                Target.none(),
                                                NeuronGradientShap.Options.builder()
                                                        .nSamples(3)
                                                        .stdevs(0.1)
                                                        .seed(5)
                                                        .build()),
                        input));
    }

    Stream<Arguments> methodsOnBothForms() throws IOException {
        TorchScriptModel ts =
                TorchScriptModel.load(
                        Path.of(System.getProperty("captum4j.fixtures", "../src-test-resources"))
                                .resolve("taps/tabular_mlp.pt"));
        scripts.add(ts);
        block = ImportedModel.load(TestModels.model("tabular_mlp.json"), manager);
        return methods()
                .flatMap(
                        m ->
                                Stream.of(
                                        Arguments.of(m, block, "block"),
                                        Arguments.of(m, ts, "torchscript")));
    }

    @ParameterizedTest(name = "{0} [{2}]", autoCloseArguments = false)
    @MethodSource("methodsOnBothForms")
    void leavesNothingBehindAndRepeatsItself(Method method, LayerAccess model, String form) {
        try (NDManager caller = manager.newSubManager()) {
            NDArray x = caller.randomUniform(0f, 1f, new Shape(4, 10));
            NDArray b = caller.randomUniform(0f, 0.1f, new Shape(4, 10));
            Inputs in = Inputs.of(x).withBaselines(Baselines.tensors(b));
            if (method.name().equals("LayerActivation")
                    || method.name().equals("LayerGradientXActivation")
                    || method.name().equals("LayerGradCam")
                    || method.name().equals("NeuronGradient")) {
                in = Inputs.of(x);
            }
            float[] first;
            try (Attribution a = method.call().apply(model, in)) {
                assertThat(a.attribution(0).getShape().getShape()).containsExactly(method.shape());
                first = a.attribution(0).toFloatArray();
            }
            int before = caller.getManagedArrays().size();
            for (int i = 0; i < CALLS; i++) {
                try (Attribution a = method.call().apply(model, in)) {
                    assertThat(a.attribution(0).toFloatArray()).containsExactly(first);
                }
            }
            assertThat(caller.getManagedArrays().size()).isEqualTo(before);
            Inputs bad = in;
            if (!method.name().startsWith("LayerActivation")) {
                // a target out of range: the call throws inside the forward pass
                assertThatThrownBy(() -> callWithTarget(method, model, bad))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(caller.getManagedArrays().size()).isEqualTo(before);
            }
            try (Attribution a = method.call().apply(model, in)) {
                assertThat(a.attribution(0).toFloatArray()).containsExactly(first);
            }
        }
    }

    private static Attribution callWithTarget(Method method, LayerAccess model, Inputs in) {
        LayerPath fc1 = LayerPath.of("fc1");
        Target wrong = Target.index(7);
        if (method.name().startsWith("Neuron") && !method.name().equals("NeuronConductance")) {
            return new NeuronGradient(model, fc1).attribute(in, NeuronSelector.index(99));
        }
        return switch (method.name()) {
            case "LayerGradientXActivation" ->
                    new LayerGradientXActivation(model, fc1).attribute(in, wrong);
            case "LayerGradCam" -> new LayerGradCam(model, fc1).attribute(in, wrong);
            case "InternalInfluence" -> new InternalInfluence(model, fc1).attribute(in, wrong);
            case "LayerConductance" -> new LayerConductance(model, fc1).attribute(in, wrong);
            case "LayerIntegratedGradients" ->
                    new LayerIntegratedGradients(model, fc1).attribute(in, wrong);
            case "LayerGradientShap" -> new LayerGradientShap(model, fc1).attribute(in, wrong);
            default ->
                    new NeuronConductance(model, fc1)
                            .attribute(
                                    in,
                                    NeuronSelector.index(3),
                                    wrong,
                                    NeuronConductance.Options.DEFAULTS);
        };
    }
}
