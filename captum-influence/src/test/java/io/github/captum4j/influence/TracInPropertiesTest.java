package io.github.captum4j.influence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Mathematical properties of the TracIn family and SimilarityInfluence on the influence MLP. */
class TracInPropertiesTest {

    private static final Loss CE = Loss.crossEntropy(Loss.Reduction.SUM);
    private static final LayerPath FC2 = LayerPath.of("fc2");

    private NDManager manager;
    private NDArray trainX;
    private NDArray trainY;
    private Batch test;

    @BeforeEach
    void data() {
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(5);
        trainX = manager.randomNormal(new Shape(23, 2)).mul(1.5f);
        trainY = manager.randomInteger(0, 3, new Shape(23), DataType.INT64);
        test =
                Batch.of(
                        manager.randomNormal(new Shape(4, 2)),
                        manager.create(new long[] {0, 1, 2, 1}));
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static List<Checkpoint> checkpoints(String ext) {
        return List.of(
                new Checkpoint(TestModels.model("influence_mlp_ckpt1" + ext), 0.3),
                new Checkpoint(TestModels.model("influence_mlp_ckpt2" + ext), 0.2),
                new Checkpoint(TestModels.model("influence_mlp_ckpt3" + ext), 0.1));
    }

    @Test
    void fastPathEqualsTracInCpOnTheFinalLayerWeight() throws Exception {
        // TracInCP on fc2 (weight and bias, one backward pass per example through TorchScript)
        // minus the bias part sum_c lr_c J J'^T must be TracInCPFast (fc2 weight, closed form).
        List<Batch> train = Batch.split(trainX, trainY, 8);
        NDArray general = new TracInCP(checkpoints(".pt"), train, CE, List.of(FC2)).influence(test);
        NDArray fast = new TracInCPFast(checkpoints(".json"), train, CE, FC2).influence(test);
        NDArray bias = null;
        for (Checkpoint c : checkpoints(".json")) {
            try (ImportedModel m = ImportedModel.load(c.file(), manager)) {
                NDArray jt = jacobian(m, test.inputs().get(0), test.labels());
                NDArray jr = jacobian(m, trainX, trainY);
                NDArray term = jt.matMul(jr.transpose()).mul(c.learningRate());
                bias = bias == null ? term : bias.add(term);
            }
        }
        NDArrayAssert.assertThat(fast).isCloseTo(general.sub(bias), 1e-4, 1e-5);
        assertThat(fast.sub(general).abs().max().getFloat()).isGreaterThan(1e-3f);
    }

    private static NDArray jacobian(ImportedModel m, NDArray x, NDArray y) {
        NDArray out = m.forwardFunction().forward(new NDList(x), List.of());
        return out.softmax(1).sub(y.oneHot(3));
    }

    @Test
    void closedFormLinearGradientsEqualOneBackwardPerExample() {
        List<Batch> train = Batch.split(trainX, trainY, 5);
        TracInCP closed = new TracInCP(checkpoints(".json"), train, CE, null);
        TracInCP perExample = new TracInCP(checkpoints(".pt"), train, CE, null);
        NDArrayAssert.assertThat(closed.influence(test))
                .isCloseTo(perExample.influence(test), 1e-4, 1e-5);
        NDArrayAssert.assertThat(closed.selfInfluence())
                .isCloseTo(perExample.selfInfluence(), 1e-4, 1e-5);
    }

    @Test
    void selfInfluenceIsTheDiagonalOfInfluence() {
        List<Batch> train = Batch.split(trainX, trainY, 6);
        for (TrainingInfluence t :
                List.of(
                        new TracInCP(checkpoints(".json"), train, CE, null),
                        new TracInCPFast(checkpoints(".json"), train, CE, FC2))) {
            NDArray full = t.influence(Batch.of(trainX, trainY));
            NDArrayAssert.assertThat(t.selfInfluence())
                    .isCloseTo(full.mul(manager.eye(23)).sum(new int[] {1}), 1e-4, 1e-5);
        }
    }

    @Test
    void proponentsAreTheRowsOfLargestScoreAndOpponentsOfSmallest() {
        TracInCPFast fast =
                new TracInCPFast(checkpoints(".json"), Batch.split(trainX, trainY, 4), CE, FC2);
        float[] s = fast.influence(test).toFloatArray();
        int k = 5;
        TopK pro = fast.proponents(test, k);
        TopK opp = fast.opponents(test, k);
        assertThat(pro.indices().getShape()).isEqualTo(new Shape(4, k));
        for (int i = 0; i < 4; i++) {
            Integer[] order = new Integer[23];
            for (int j = 0; j < 23; j++) {
                order[j] = j;
            }
            final int row = i;
            Arrays.sort(order, (a, b) -> Float.compare(s[row * 23 + b], s[row * 23 + a]));
            for (int r = 0; r < k; r++) {
                assertThat(pro.indices().getLong(i, r)).isEqualTo(order[r].longValue());
                assertThat(pro.scores().getFloat(i, r)).isEqualTo(s[i * 23 + order[r]]);
                assertThat(opp.indices().getLong(i, r)).isEqualTo(order[22 - r].longValue());
                assertThat(opp.scores().getFloat(i, r)).isEqualTo(s[i * 23 + order[22 - r]]);
            }
        }
    }

    @Test
    void streamingInBatchesOfOneSevenOrAllGivesTheSameScores() {
        for (int method = 0; method < 3; method++) {
            NDArray first = null;
            NDArray firstSelf = null;
            for (int size : new int[] {1, 7, 23}) {
                List<Batch> train = Batch.split(trainX, trainY, size);
                TrainingInfluence t =
                        method == 0
                                ? new TracInCP(checkpoints(".json"), train, CE, null)
                                : method == 1
                                        ? new TracInCPFast(checkpoints(".json"), train, CE, FC2)
                                        : new TracInCPFastRandProj(
                                                checkpoints(".json"), train, CE, FC2, 4, 3);
                NDArray s = t.influence(test);
                NDArray self = t.selfInfluence();
                if (first == null) {
                    first = s;
                    firstSelf = self;
                } else {
                    NDArrayAssert.assertThat(s).isCloseTo(first, 1e-5, 1e-6);
                    NDArrayAssert.assertThat(self).isCloseTo(firstSelf, 1e-5, 1e-6);
                }
            }
        }
    }

    @Test
    void randomProjectionIsSeededAndWithoutProjectionEqualsTracInCpFast() {
        List<Batch> train = Batch.split(trainX, trainY, 8);
        NDArray fast = new TracInCPFast(checkpoints(".json"), train, CE, FC2).influence(test);
        NDArray none =
                new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, null, 0)
                        .influence(test);
        NDArray large =
                new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, 24, 0)
                        .influence(test);
        NDArrayAssert.assertThat(none).isCloseTo(fast, 1e-6, 1e-7);
        NDArrayAssert.assertThat(large).isCloseTo(fast, 1e-6, 1e-7);
        NDArray a =
                new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, 4, 7)
                        .influence(test);
        NDArray b =
                new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, 4, 7)
                        .influence(test);
        NDArray c =
                new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, 4, 8)
                        .influence(test);
        NDArrayAssert.assertThat(a).isCloseTo(b, 0, 0);
        assertThat(a.sub(c).abs().max().getFloat()).isGreaterThan(1e-4f);
    }

    @Test
    void userLossGradientsMatchTheBuiltInCrossEntropy() {
        List<Batch> train = Batch.split(trainX, trainY, 8);
        Loss custom =
                Loss.of((out, y) -> out.logSoftmax(1).mul(y.oneHot(3)).sum(new int[] {1}).neg());
        NDArray builtIn = new TracInCPFast(checkpoints(".json"), train, CE, FC2).influence(test);
        NDArray user = new TracInCPFast(checkpoints(".json"), train, custom, FC2).influence(test);
        NDArrayAssert.assertThat(user).isCloseTo(builtIn, 1e-4, 1e-6);
        // MSE against one-hot targets: closed-form J = 2 (z - y) against autograd of a user loss
        NDArray targets = trainY.oneHot(3);
        List<Batch> regression = Batch.split(trainX, targets, 8);
        Batch testTargets = Batch.of(test.inputs().get(0), test.labels().oneHot(3));
        Loss sq = Loss.of((out, y) -> out.sub(y).square().sum(new int[] {1}));
        NDArray mse =
                new TracInCPFast(
                                checkpoints(".json"),
                                regression,
                                Loss.mse(Loss.Reduction.MEAN),
                                FC2)
                        .influence(testTargets);
        NDArray userMse =
                new TracInCPFast(checkpoints(".json"), regression, sq, FC2).influence(testTargets);
        NDArrayAssert.assertThat(userMse).isCloseTo(mse, 1e-4, 1e-6);
    }

    @Test
    void similarityInfluenceFindsTheSameNeighboursInAnyBatching() throws Exception {
        try (ImportedModel m =
                ImportedModel.load(TestModels.model("influence_mlp_ckpt3.json"), manager)) {
            for (SimilarityMetric metric :
                    List.of(SimilarityMetric.COSINE, SimilarityMetric.EUCLIDEAN)) {
                Map<String, TopK> all =
                        new SimilarityInfluence(
                                        m,
                                        LayerPath.of("fc1", "fc2"),
                                        List.of(new NDList(trainX)),
                                        metric)
                                .influence(test.inputs(), 4);
                List<NDList> ones = new ArrayList<>();
                for (Batch b : Batch.split(trainX, trainY, 3)) {
                    ones.add(b.inputs());
                }
                Map<String, TopK> streamed =
                        new SimilarityInfluence(m, LayerPath.of("fc1", "fc2"), ones, metric)
                                .influence(test.inputs(), 4);
                for (String layer : List.of("fc1", "fc2")) {
                    assertThat(streamed.get(layer).indices().toLongArray())
                            .containsExactly(all.get(layer).indices().toLongArray());
                    NDArrayAssert.assertThat(streamed.get(layer).scores())
                            .isCloseTo(all.get(layer).scores(), 1e-6, 1e-7);
                }
                // a training row equal to a test row is its own nearest neighbour
                NDArray withTest = trainX.concat(test.inputs().get(0), 0);
                TopK self =
                        new SimilarityInfluence(
                                        m, List.of(FC2), List.of(new NDList(withTest)), metric)
                                .influence(test.inputs(), 1)
                                .get("fc2");
                assertThat(self.indices().toLongArray()).containsExactly(23, 24, 25, 26);
            }
        }
    }

    @Test
    void callsLeaveNoArrayBehind() {
        List<Batch> train = Batch.split(trainX, trainY, 8);
        TracInCP tracin = new TracInCP(checkpoints(".json"), train, CE, null);
        TracInCPFast fast = new TracInCPFast(checkpoints(".json"), train, CE, FC2);
        tracin.influence(test).close(); // warm-up
        int before = manager.getManagedArrays().size();
        tracin.influence(test).close();
        fast.selfInfluence().close();
        TopK top = fast.proponents(test, 3);
        top.indices().close();
        top.scores().close();
        new TracInCP(checkpoints(".pt"), train, CE, List.of(FC2)).selfInfluence().close();
        assertThat(manager.getManagedArrays().size()).isEqualTo(before);
    }

    @Test
    void badArgumentsNameTheArgumentAndLeaveTheMethodWorking() {
        List<Batch> train = Batch.split(trainX, trainY, 8);
        TracInCPFast fast = new TracInCPFast(checkpoints(".json"), train, CE, FC2);
        assertThatThrownBy(() -> fast.proponents(test, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k");
        assertThatThrownBy(() -> fast.opponents(test, 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k must be");
        assertThatThrownBy(() -> new TracInCP(List.of(), train, CE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoints");
        assertThatThrownBy(() -> new Checkpoint(TestModels.model("influence_mlp_ckpt1.npz"), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(
                        () ->
                                new Checkpoint(
                                        TestModels.model("influence_mlp_ckpt1.pt"), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> Batch.of(trainX, test.labels()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> Batch.split(trainX, trainY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize");
        assertThatThrownBy(
                        () ->
                                new TracInCP(
                                                checkpoints(".json"),
                                                train,
                                                CE,
                                                List.of(LayerPath.of("relu")))
                                        .influence(test))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layers");
        assertThatThrownBy(
                        () -> new TracInCPFast(checkpoints(".pt"), train, CE, FC2).influence(test))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoints");
        assertThatThrownBy(
                        () -> new TracInCPFastRandProj(checkpoints(".json"), train, CE, FC2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("projectionDim");
        assertThatThrownBy(
                        () ->
                                fast.influence(
                                        Batch.of(
                                                test.inputs().get(0),
                                                manager.create(new float[] {0, 1, 2, 1}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> fast.selfInfluence(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data");
        NDArrayAssert.assertThat(fast.influence(test))
                .isCloseTo(
                        new TracInCPFast(checkpoints(".json"), train, CE, FC2).influence(test),
                        0,
                        0);
    }
}
