package io.github.captum4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;

import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.layer.LayerTap;
import io.github.captum4j.core.layer.TapSite;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * BatchNorm folded into the convolution before it ({@link ConvBnFold}): used by plain forwards
 * without gradient recording only, equal to the two-op pass up to float rounding, and recomputed
 * when a layer is replaced.
 */
class ConvBnFoldTest {

    /** Float rounding of a folded ResNet forward (outputs of order 1). */
    private static final double ROUNDING = 1e-5;

    /** tiny_resnet: the stem, two per BasicBlock (8) and three downsample shortcuts. */
    private static final int TINY_RESNET_PAIRS = 20;

    private static NDManager base;

    @BeforeAll
    static void openManager() {
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        base.close();
    }

    @Test
    void forwardWithoutGradientsFoldsEveryPairAndMatchesTheVerifyOutput() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    NDArray folded = plain(model, x);
                    assertThat(root(model).foldedPairs()).isEqualTo(TINY_RESNET_PAIRS);
                    assertThat(Fixtures.maxAbsDiff(folded, Fixtures.verifyOutput(json, m)))
                            .isLessThan(ROUNDING);
                });
    }

    @Test
    void forwardWithGradientRecordingRunsEveryModule() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    NDArray out = recorded(model, x);
                    assertThat(root(model).foldedPairs()).isZero();
                    assertThat(Fixtures.maxAbsDiff(out, Fixtures.verifyOutput(json, m)))
                            .isLessThan(ROUNDING);
                });
    }

    @Test
    void tappedForwardRunsTheBatchNormItTaps() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    LayerTap tap = model.tap(List.of(LayerPath.of("layer1.0.bn1")), TapSite.OUTPUT);
                    NDList values =
                            Gradients.withGradMode(
                                    false, () -> Gradients.layerValues(tap, x, List.of()));
                    assertThat(values.get(0).getShape().dimension()).isEqualTo(4);
                    assertThat(root(model).foldedPairs()).isZero();
                });
    }

    /**
     * A replacement runs with its own weights, and since the caller holds it, writing into them in
     * place after it was installed is seen too (a folding computed at the first pass would not).
     */
    @Test
    void replacedConvolutionRunsItsOwnWeightsEvenWhenWrittenInPlace() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    NDArray before = plain(model, x);
                    Conv2d old = (Conv2d) model.layer("layer2.0.conv2");
                    Conv2d doubled =
                            Conv2d.builder()
                                    .setKernelShape(old.getKernelShape())
                                    .setFilters(old.getFilters())
                                    .optStride(old.getStride())
                                    .optPadding(old.getPadding())
                                    .optDilation(old.getDilation())
                                    .optGroups(old.getGroups())
                                    .optBias(false)
                                    .build();
                    NDArray w = old.getParameters().get("weight").getArray().mul(2);
                    w.attach(m);
                    doubled.getParameters().get("weight").setArray(w);
                    model.replaceLayer("layer2.0.conv2", doubled);
                    NDArray replaced = plain(model, x);
                    assertThat(Fixtures.maxAbsDiff(replaced, recorded(model, x)))
                            .isLessThan(ROUNDING);
                    assertThat(Fixtures.maxAbsDiff(replaced, before)).isGreaterThan(100 * ROUNDING);
                    Gradients.withGradMode(false, () -> w.muli(1.5));
                    NDArray written = plain(model, x);
                    assertThat(Fixtures.maxAbsDiff(written, recorded(model, x)))
                            .isLessThan(ROUNDING);
                    assertThat(Fixtures.maxAbsDiff(written, replaced))
                            .isGreaterThan(100 * ROUNDING);
                    // handed out by layer(): runs unfolded
                    model.replaceLayer("layer2.0.conv2", old);
                    assertThat(Fixtures.maxAbsDiff(plain(model, x), before)).isLessThan(ROUNDING);
                    assertThat(root(model).foldedPairs()).isEqualTo(TINY_RESNET_PAIRS);
                });
    }

    /**
     * A model-randomisation check writes into a layer's parameters in place: a folding computed
     * before could not see it, so a layer handed out by {@code layer()} is never folded again.
     */
    @Test
    void inPlaceWriteIntoAHandedOutLayerIsSeenByLaterPlainPasses() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    NDArray before = plain(model, x); // every pair folded, bn1's included
                    NDArray gamma = model.layer("bn1").getParameters().get("gamma").getArray();
                    Gradients.withGradMode(false, () -> gamma.muli(3));
                    NDArray after = plain(model, x);
                    assertThat(Fixtures.maxAbsDiff(after, recorded(model, x))).isLessThan(ROUNDING);
                    assertThat(Fixtures.maxAbsDiff(after, before)).isGreaterThan(100 * ROUNDING);
                });
    }

    @Test
    void replacedBatchNormIsNotFolded() throws IOException {
        onTinyResnet(
                (model, x, json, m) -> {
                    model.replaceLayer("bn1", LambdaBlock.singleton(a -> a, "Identity"));
                    NDArray plain = plain(model, x);
                    assertThat(root(model).foldedPairs()).isEqualTo(TINY_RESNET_PAIRS - 1);
                    assertThat(Fixtures.maxAbsDiff(plain, recorded(model, x))).isLessThan(ROUNDING);
                    assertThat(Fixtures.maxAbsDiff(plain, Fixtures.verifyOutput(json, m)))
                            .isGreaterThan(100 * ROUNDING);
                });
    }

    @Test
    void graphExecutorFoldsEveryPair(@TempDir Path dir) throws IOException {
        Path fixture = Fixtures.modelJson("tiny_resnet");
        JsonObject json = Fixtures.read(fixture);
        // a reshape is not a chain op: the model runs on the general graph executor
        for (var e : json.getAsJsonArray("graph")) {
            JsonObject node = e.getAsJsonObject();
            if (node.get("op").getAsString().startsWith("flatten")) {
                node.addProperty("op", "reshape(-1, 64)");
            }
        }
        Files.copy(fixture.resolveSibling("tiny_resnet.npz"), dir.resolve("tiny_resnet.npz"));
        Path file = dir.resolve("graph_resnet.json");
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(file, m)) {
            assertThat(root(model)).isInstanceOf(GraphModule.class);
            NDList x = Fixtures.verifyInputs(json, m);
            NDArray twoOps = recorded(model, x);
            assertThat(root(model).foldedPairs()).isZero();
            NDArray folded = plain(model, x);
            assertThat(root(model).foldedPairs()).isEqualTo(TINY_RESNET_PAIRS);
            assertThat(Fixtures.maxAbsDiff(folded, twoOps)).isLessThan(ROUNDING);
            assertThat(Fixtures.maxAbsDiff(folded, Fixtures.verifyOutput(json, m)))
                    .isLessThan(ROUNDING);
        }
    }

    /** A test body on a freshly loaded tiny_resnet with its verify inputs. */
    private interface TinyResnetCase {
        void run(ImportedModel model, NDList x, JsonObject json, NDManager m) throws IOException;
    }

    /** Loads tiny_resnet (in a sub-manager closed afterwards) and runs the body on it. */
    private static void onTinyResnet(TinyResnetCase body) throws IOException {
        Path file = Fixtures.modelJson("tiny_resnet");
        JsonObject json = Fixtures.read(file);
        try (NDManager m = base.newSubManager();
                ImportedModel model = ImportedModel.load(file, m)) {
            body.run(model, Fixtures.verifyInputs(json, m), json, m);
        }
    }

    private static ModuleBlock root(ImportedModel model) {
        return model.rootModule();
    }

    /** A forward without gradient recording (folds). */
    private static NDArray plain(ImportedModel model, NDList x) {
        return Gradients.withGradMode(
                false, () -> model.forwardFunction().forward(x, List.of()));
    }

    /** The same forward with gradient recording on (every module runs). */
    private static NDArray recorded(ImportedModel model, NDList x) {
        return Gradients.withGradMode(
                true, () -> model.forwardFunction().forward(x, List.of()));
    }
}
