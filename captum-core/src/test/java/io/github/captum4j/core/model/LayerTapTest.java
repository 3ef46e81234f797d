package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.Pair;

import com.google.gson.JsonObject;

import io.github.captum4j.core.AttributionException;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Layer taps on both forms of a fixture model: the imported Block model and the TorchScript module
 * exported with taps ({@code src-test-resources/taps}). Both must agree with each other and with
 * the model's own output, and leave the model exactly as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerTapTest {

    private NDManager manager;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        manager.close();
    }

    private final Map<String, ImportedModel> blocks = new HashMap<>();
    private final Map<String, TorchScriptModel> scripts = new HashMap<>();

    /** The imported form, loaded once per class (taps never change it; tests check that too). */
    private ImportedModel block(String id) throws IOException {
        ImportedModel m = blocks.get(id);
        if (m == null) {
            m = ImportedModel.load(Fixtures.modelJson(id), manager);
            blocks.put(id, m);
            open.add(m);
        }
        return m;
    }

    private TorchScriptModel script(String id) {
        return scripts.computeIfAbsent(
                id,
                k -> {
                    Path file =
                            Fixtures.modelJson(k)
                                    .getParent()
                                    .resolveSibling("taps")
                                    .resolve(k + ".pt");
                    TorchScriptModel m = TorchScriptModel.load(file);
                    open.add(m);
                    return m;
                });
    }

    private NDList verifyInputs(String id, NDManager m) throws IOException {
        return Fixtures.verifyInputs(Fixtures.read(Fixtures.modelJson(id)), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_resnet", "tabular_mlp", "text_emb"})
    void exportedTapsReproduceTheModelOutput(String id) throws IOException {
        JsonObject json = Fixtures.read(Fixtures.modelJson(id));
        TorchScriptModel ts = script(id);
        try (NDManager m = manager.newSubManager()) {
            NDArray expected = Fixtures.verifyOutput(json, m);
            NDList x = Fixtures.verifyInputs(json, m);
            assertThat(Fixtures.maxAbsDiff(ts.forward(x, List.of()), expected)).isLessThan(1e-5);
            try (LayerTap tap =
                    ts.tap(List.of(LayerPath.of(ts.layerNames().get(0))), TapSite.OUTPUT)) {
                assertThat(Fixtures.maxAbsDiff(tap.forward(x, List.of()), expected))
                        .isLessThan(1e-5);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layer3.1.conv2", "layer4", "bn1"})
    void blockAndTorchScriptTapsCaptureTheSameValuesAndGradients(String layer) throws IOException {
        LayerAccess[] forms = {block("tiny_resnet"), script("tiny_resnet")};
        try (NDManager m = manager.newSubManager()) {
            NDList x = verifyInputs("tiny_resnet", m);
            NDList x2 = new NDList(x.get(0).concat(x.get(0).mul(0.5f), 0));
            Gradients.LayerResult[] results = new Gradients.LayerResult[2];
            for (int f = 0; f < 2; f++) {
                try (LayerTap tap = forms[f].tap(List.of(LayerPath.of(layer)), TapSite.OUTPUT)) {
                    results[f] =
                            Gradients.computeAtLayers(tap, x2, List.of(), Target.index(3), null);
                }
            }
            double scale = results[0].layerGradients().get(0).abs().max().getFloat();
            assertThat(results[1].values().get(0).getShape())
                    .isEqualTo(results[0].values().get(0).getShape());
            assertThat(Fixtures.maxAbsDiff(results[0].values().get(0), results[1].values().get(0)))
                    .isLessThan(1e-4);
            assertThat(
                            Fixtures.maxAbsDiff(
                                    results[0].layerGradients().get(0),
                                    results[1].layerGradients().get(0)))
                    .isLessThan(1e-4 * scale + 1e-7);
        }
    }

    @Test
    void replacingALayerChangesWhatFollowsOnBothForms() throws IOException {
        LayerAccess[] forms = {block("tabular_mlp"), script("tabular_mlp")};
        try (NDManager m = manager.newSubManager()) {
            NDList x = verifyInputs("tabular_mlp", m);
            long n = x.get(0).getShape().get(0);
            NDArray[] outs = new NDArray[2];
            for (int f = 0; f < 2; f++) {
                try (LayerTap tap = forms[f].tap(List.of(LayerPath.of("relu1")), TapSite.OUTPUT)) {
                    tap.replaceValues(new NDList(m.zeros(new Shape(n, 16))));
                    outs[f] = Gradients.forward(tap::forward, x, List.of());
                    assertThat(tap.values().get(0).abs().sum().getFloat()).isZero();
                }
            }
            // with relu1 = 0 the output is the biases pushed through the rest of the network
            assertThat(Fixtures.maxAbsDiff(outs[0], outs[1])).isLessThan(1e-5);
            NDArray row0 = outs[0].get("0:1");
            assertThat(Fixtures.maxAbsDiff(outs[0], row0.broadcast(outs[0].getShape())))
                    .isLessThan(1e-6);
        }
    }

    @Test
    void inputTapsSeeTheLayerInput() throws IOException {
        LayerAccess[] forms = {block("toy"), script("toy")};
        try (NDManager m = manager.newSubManager()) {
            NDList x = verifyInputs("toy", m);
            for (LayerAccess form : forms) {
                try (LayerTap in = form.tap(List.of(LayerPath.of("lin2")), TapSite.INPUT);
                        LayerTap out = form.tap(List.of(LayerPath.of("relu")), TapSite.OUTPUT)) {
                    NDArray a = Gradients.layerValues(in, x, List.of()).get(0);
                    NDArray b = Gradients.layerValues(out, x, List.of()).get(0);
                    assertThat(Fixtures.maxAbsDiff(a, b)).isZero();
                }
            }
        }
    }

    @Test
    void unknownLayerIsRejectedWithCloseMatches() throws IOException {
        for (LayerAccess form : new LayerAccess[] {block("tiny_resnet"), script("tiny_resnet")}) {
            assertThatThrownBy(
                            () -> form.tap(List.of(LayerPath.of("layer3.1.conv3")), TapSite.OUTPUT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("layer3.1.conv3")
                    .hasMessageContaining("close matches")
                    .hasMessageContaining("layer3.1.conv2");
        }
        assertThatThrownBy(() -> LayerPath.of("layer3..conv2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dotted module path");
        assertThatThrownBy(
                        () ->
                                script("tiny_resnet")
                                        .tap(List.of(LayerPath.of("conv1")), TapSite.INPUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--input-taps");
        try (TorchScriptModel plain =
                TorchScriptModel.load(Fixtures.modelJson("toy").resolveSibling("toy.pt"))) {
            assertThatThrownBy(() -> plain.tap(List.of(LayerPath.of("lin1")), TapSite.OUTPUT))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("export_taps.py");
        }
    }

    @Test
    void aTapLeavesTheModelUnchangedAfterSuccessAndAfterAFailingForward() throws IOException {
        ImportedModel model = block("tiny_resnet");
        List<Block> before = tree(model.block());
        try (NDManager m = manager.newSubManager()) {
            NDList x = verifyInputs("tiny_resnet", m);
            NDArray reference = model.forwardFunction().forward(x, List.of());
            try (LayerTap tap =
                    model.tap(LayerPath.of("layer3.1.conv2", "layer4"), TapSite.OUTPUT)) {
                Gradients.computeAtLayers(tap, x, List.of(), Target.index(1), null);
                tap.replaceValues(new NDList(m.zeros(new Shape(1, 32, 4, 4)), null));
                Gradients.forward(tap::forward, x, List.of());
            }
            try (LayerTap tap = model.tap(List.of(LayerPath.of("layer4")), TapSite.OUTPUT)) {
                // a wrong input shape: the forward pass throws inside the model
                NDList bad = new NDList(m.zeros(new Shape(1, 5, 64, 64)));
                assertThatThrownBy(() -> Gradients.forward(tap::forward, bad, List.of()))
                        .isInstanceOf(AttributionException.class);
            }
            assertThat(tree(model.block())).containsExactlyElementsOf(before);
            NDArray after = model.forwardFunction().forward(x, List.of());
            assertThat(Fixtures.maxAbsDiff(reference, after)).isZero();
        }
    }

    @Test
    void batchNormStatisticsNeverChange() throws IOException {
        ImportedModel model = block("tiny_resnet");
        TorchScriptModel ts = script("tiny_resnet");
        NDArray mean = model.block().getParameters().get("layer3_1_bn2_runningMean").getArray();
        NDArray var = model.block().getParameters().get("layer3_1_bn2_runningVar").getArray();
        float[] meanBefore = mean.toFloatArray();
        float[] varBefore = var.toFloatArray();
        try (NDManager m = manager.newSubManager()) {
            NDList x = verifyInputs("tiny_resnet", m);
            NDArray tsBefore = ts.forward(x, List.of());
            NDList batch =
                    new NDList(
                            x.get(0)
                                    .repeat(0, 8)
                                    .mul(m.randomUniform(0, 2, new Shape(8, 1, 1, 1))));
            for (LayerAccess form : new LayerAccess[] {model, ts}) {
                for (int i = 0; i < 5; i++) {
                    try (LayerTap tap =
                            form.tap(List.of(LayerPath.of("layer3.1.bn2")), TapSite.OUTPUT)) {
                        Gradients.computeAtLayers(tap, batch, List.of(), Target.index(i), null);
                    }
                }
            }
            assertThat(mean.toFloatArray()).containsExactly(meanBefore);
            assertThat(var.toFloatArray()).containsExactly(varBefore);
            assertThat(Fixtures.maxAbsDiff(ts.forward(x, List.of()), tsBefore)).isZero();
        }
    }

    @Test
    void aLayerThatDoesNotRunIsReportedAndALayerRunTwiceIsRejected() throws IOException {
        ImportedModel model = block("basic_multilayer");
        try (NDManager m = manager.newSubManager();
                LayerTap tap = model.tap(List.of(LayerPath.of("linear1_alt")), TapSite.OUTPUT)) {
            NDList x = new NDList(m.ones(new Shape(2, 3)));
            assertThatThrownBy(() -> Gradients.layerValues(tap, x, List.of()))
                    .isInstanceOf(AttributionException.class)
                    .hasMessageContaining("did not run");
        }
    }

    @Test
    void threadsShareOneModelEachWithItsOwnTaps() throws Exception {
        ImportedModel model = block("tabular_mlp");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomUniform(0, 1, new Shape(3, 10));
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String layer = t % 2 == 0 ? "fc1" : "fc2";
                results.add(
                        pool.submit(
                                () -> {
                                    try (NDManager local = m.newSubManager();
                                            LayerTap tap =
                                                    model.tap(
                                                            List.of(LayerPath.of(layer)),
                                                            TapSite.OUTPUT)) {
                                        NDArray xi = x.duplicate();
                                        xi.attach(local);
                                        return Gradients.computeAtLayers(
                                                        tap,
                                                        new NDList(xi),
                                                        List.of(),
                                                        Target.index(0),
                                                        null)
                                                .layerGradients()
                                                .get(0)
                                                .toFloatArray();
                                    }
                                }));
            }
            for (int t = 2; t < 16; t++) {
                assertThat(results.get(t).get()).containsExactly(results.get(t % 2).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Every block of the tree, depth first. */
    private static List<Block> tree(Block root) {
        List<Block> out = new ArrayList<>();
        out.add(root);
        for (Pair<String, Block> child : root.getChildren()) {
            out.addAll(tree(child.getValue()));
        }
        return out;
    }
}
