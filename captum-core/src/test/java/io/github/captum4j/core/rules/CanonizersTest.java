package io.github.captum4j.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import io.github.captum4j.core.Target;
import io.github.captum4j.core.rules.internal.LrpPass;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.Test;

import java.util.List;

class CanonizersTest {

    @Test
    void mergingBatchNormKeepsTheFunctionAndCloseRestoresTheModel() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                ImportedModel model =
                        ImportedModel.load(TestModels.model("tiny_resnet.json"), manager)) {
            Shape s = new Shape(2, 3, 64, 64);
            int arrays = manager.getManagedArrays().size();
            NDManager work = manager.newSubManager();
            NDArray x = work.create(TestModels.gaussian((int) s.size(), 3), s);
            NDArray before = model.forwardFunction().forward(new NDList(x), List.of());
            Block conv = model.layer("layer2.0.downsample.0");
            Block bn = model.layer("layer2.0.downsample.1");
            NDArray lrpMerged;
            try (Canonizer c = Canonizers.mergeBatchNorm(model, manager)) {
                assertThat(model.layer("layer2.0.downsample.0")).isNotSameAs(conv);
                assertThat(model.layer("layer1.0.conv1")).isNotSameAs(null);
                NDArray merged = model.forwardFunction().forward(new NDList(x), List.of());
                NDArrayAssert.assertThat(merged).isCloseTo(before, 1e-4, 1e-5);
                LrpPass.Result r =
                        LrpPass.run(
                                model,
                                Composite.lrp(),
                                new NDList(x),
                                List.of(),
                                Target.index(1),
                                List.of(),
                                false);
                lrpMerged = r.inputRelevances().get(0);
                assertThat(lrpMerged.getShape()).isEqualTo(s);
                c.close();
                c.close();
            }
            assertThat(model.layer("layer2.0.downsample.0")).isSameAs(conv);
            assertThat(model.layer("layer2.0.downsample.1")).isSameAs(bn);
            // the restored layers were handed out by layer(), so they now run unfolded (ConvBnFold):
            // the same function up to float rounding
            NDArrayAssert.assertThat(model.forwardFunction().forward(new NDList(x), List.of()))
                    .isCloseTo(before, 1e-5, 1e-6);
            work.close();
            assertThat(manager.getManagedArrays().size()).isEqualTo(arrays);
        }
    }
}
