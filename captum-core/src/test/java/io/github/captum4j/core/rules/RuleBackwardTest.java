package io.github.captum4j.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.rules.internal.LayerValueModel;
import io.github.captum4j.core.rules.internal.LrpPass;
import io.github.captum4j.core.rules.internal.RuleBackward;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.internal.Targets;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class RuleBackwardTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void identityRulesOnAResNetGiveAutogradsGradient() throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tiny_resnet.json"), manager)) {
            NDArray x = random(1, 2, 3, 64, 64);
            Target t = Target.index(3);
            NDList expected =
                    Gradients.compute(model.forwardFunction(), new NDList(x), List.of(), t)
                            .gradients();
            Composite identity =
                    Composite.empty()
                            .withType("ReLU", Rules.identity())
                            .withType("MaxPool2d", Rules.identity())
                            .withType("Conv2d", Rules.identity());
            RuleBackward.Result r =
                    RuleBackward.run(
                            model,
                            new NDList(x),
                            List.of(),
                            identity,
                            List.of("layer2.0"),
                            false,
                            true,
                            (out, v) -> Targets.select(out, t));
            NDArrayAssert.assertThat(r.inputGradients().get(0))
                    .isCloseTo(expected.get(0), 1e-4, 1e-7);
            assertThat(r.layerValues().get(0).getShape()).isEqualTo(new Shape(2, 16, 8, 8));
            assertThat(r.layerGradients().get(0).abs().sum().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void firstMatchingBindingWinsAndALayerBindingBeatsTypes() throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tabular_mlp.json"), manager)) {
            NDArray x = random(2, 3, 10);
            Target t = Target.index(1);
            Rule zero = ctx -> ctx.input().zerosLike();
            Composite c =
                    Composite.empty()
                            .withType("ReLU", Rules.identity())
                            .withType("ReLU", zero)
                            .withLayer("fc1", zero);
            assertThat(c.toString()).isEqualTo("Composite[layer fc1, type ReLU, type ReLU]");
            RuleBackward.Result r =
                    RuleBackward.run(
                            model,
                            new NDList(x),
                            List.of(),
                            c,
                            List.of("relu2"),
                            false,
                            true,
                            (o, v) -> Targets.select(o, t));
            // fc1 (the first layer) returns zeros: nothing reaches the input
            assertThat(r.inputGradients().get(0).abs().sum().getFloat()).isZero();
            // the ReLUs keep autograd's gradient (the first ReLU binding wins)
            NDList plain =
                    Gradients.computeAtLayers(
                                    model.tap(
                                            List.of(
                                                    io.github.captum4j.core.layer.LayerPath.of(
                                                            "relu2")),
                                            io.github.captum4j.core.layer.TapSite.OUTPUT),
                                    new NDList(x),
                                    List.of(),
                                    t,
                                    null)
                            .layerGradients();
            NDArrayAssert.assertThat(r.layerGradients().get(0)).isCloseTo(plain.get(0), 1e-6, 1e-8);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withoutInputGradientsOnlyTheCallsAfterTheLayerAreBackPropagated(boolean layerInput)
            throws Exception {
        try (ImportedModel model =
                ImportedModel.load(TestModels.model("tabular_mlp.json"), manager)) {
            NDArray x = random(4, 3, 10);
            Target t = Target.index(1);
            List<String> calls = new java.util.ArrayList<>();
            Rule counted =
                    ctx -> {
                        calls.add(ctx.call().name());
                        return ctx.gradient().mul(0.5f);
                    };
            Composite c = Composite.empty().withType("ReLU", counted);
            // relu2 itself when tapped at its input: its rule gives the layer gradient
            String layer = layerInput ? "relu2" : "fc2";
            java.util.function.Function<Boolean, RuleBackward.Result> run =
                    inputGradients ->
                            RuleBackward.run(
                                    model,
                                    new NDList(x),
                                    List.of(),
                                    c,
                                    List.of(layer),
                                    layerInput,
                                    inputGradients,
                                    (o, v) -> Targets.select(o, t));
            RuleBackward.Result all = run.apply(true);
            assertThat(calls).containsExactly("relu2", "relu1");
            calls.clear();
            RuleBackward.Result layerOnly = run.apply(false);
            assertThat(calls).containsExactly("relu2");
            assertThat(layerOnly.inputGradients()).isEmpty();
            assertThat(all.inputGradients()).hasSize(1);
            NDArrayAssert.assertThat(layerOnly.layerGradients().get(0))
                    .isCloseTo(all.layerGradients().get(0), 0, 0);
            assertThat(layerOnly.layerGradients().get(0).abs().sum().getFloat()).isGreaterThan(0f);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lrpEpsilonConservesRelevanceOnABiasFreeNetwork(long seed, @TempDir Path dir)
            throws Exception {
        JsonObject json =
                JsonParser.parseString(Files.readString(TestModels.model("tabular_mlp.json")))
                        .getAsJsonObject();
        for (JsonElement l : json.getAsJsonArray("layers")) {
            if (l.getAsJsonObject().has("bias")) {
                l.getAsJsonObject().addProperty("bias", false);
            }
        }
        json.remove("state_dict_file");
        Path file = dir.resolve("mlp_no_bias.json");
        Files.writeString(file, json.toString());
        try (ImportedModel model = ImportedModel.load(file, manager, seed)) {
            NDArray x = random(seed, 4, 10).abs();
            LrpPass.Result r =
                    LrpPass.run(
                            model,
                            Composite.lrp(),
                            new NDList(x),
                            List.of(),
                            Target.index(0),
                            List.of("fc2"),
                            false);
            float[] out = r.output().toFloatArray();
            float[] delta = r.delta(r.inputRelevances()).toFloatArray();
            float[] layerDelta = r.delta(r.layerRelevances()).toFloatArray();
            for (int n = 0; n < out.length; n++) {
                assertThat(Math.abs(delta[n])).isLessThan(1e-4f * (1 + Math.abs(out[n])));
                assertThat(Math.abs(layerDelta[n])).isLessThan(1e-4f * (1 + Math.abs(out[n])));
            }
        }
    }

    @Test
    void aForwardFunctionTheLibraryCannotWalkIsRejectedWithTheWayOut() {
        assertThatThrownBy(() -> RuleModel.of(TestModels.linear(3, 2, 1), "DeepLift"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DeepLift")
                .hasMessageContaining("tools/")
                .hasMessageContaining("ImportedModel.load");
    }

    @Test
    void aLayerThatDoesNotRunIsReported() throws Exception {
        try (ImportedModel model = ImportedModel.load(TestModels.model("toy.json"), manager)) {
            NDArray x = random(4, 2, 3);
            LayerValueModel neuron =
                    new LayerValueModel(model, "lin2", false, v -> v.get(0).get(":, 0"));
            assertThat(neuron.forward(new NDList(x), List.of()).getShape()).isEqualTo(new Shape(2));
            assertThatThrownBy(
                            () ->
                                    RuleBackward.run(
                                            model,
                                            new NDList(x),
                                            List.of(),
                                            Composite.empty(),
                                            List.of("no_such_layer"),
                                            false,
                                            true,
                                            (o, v) -> o.sum()))
                    .hasMessageContaining("no_such_layer");
        }
    }

    private NDArray random(long seed, long... shape) {
        Shape s = new Shape(shape);
        return manager.create(TestModels.gaussian((int) s.size(), seed), s);
    }
}
