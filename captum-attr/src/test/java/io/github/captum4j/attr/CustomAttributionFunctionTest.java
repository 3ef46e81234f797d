package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.layer.LayerDeepLift;
import io.github.captum4j.attr.layer.LayerDeepLiftShap;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Captum's {@code custom_attribution_func} on DeepLift, DeepLiftShap, LayerDeepLift and
 * LayerDeepLiftShap: properties that hold for any model, checked on the imported {@code
 * tabular_mlp} (a ReLU network, so DeepLift sums to the output difference).
 */
class CustomAttributionFunctionTest {

    /** Captum's default, written as a custom function: {@code m * (x - x')}. */
    private static final CustomAttributionFunction DEFAULT =
            (m, x, b) -> {
                NDList out = new NDList();
                for (int i = 0; i < m.size(); i++) {
                    out.add(m.get(i).mul(x.get(i).sub(b.get(i))));
                }
                return out;
            };

    /** Twice the default: the delta becomes {@code 2 sum A - gap = gap}. */
    private static final CustomAttributionFunction TWICE =
            (m, x, b) -> {
                NDList out = new NDList();
                for (NDArray a : DEFAULT.apply(m, x, b)) {
                    out.add(a.mul(2));
                }
                return out;
            };

    private NDManager manager;
    private ImportedModel model;
    private NDArray x;
    private NDArray b;

    @BeforeEach
    void setUp() throws Exception {
        manager = NDManager.newBaseManager();
        model = ImportedModel.load(TestModels.model("tabular_mlp.json"), manager);
        x = manager.create(TestModels.gaussian(30, 11), new Shape(3, 10));
        b = manager.create(TestModels.gaussian(30, 12), new Shape(3, 10)).mul(0.3f);
    }

    @AfterEach
    void tearDown() {
        model.close();
        manager.close();
    }

    private Inputs inputs() {
        return Inputs.of(x).withBaselines(Baselines.tensors(b));
    }

    @Test
    void theDefaultWrittenAsAFunctionGivesDeepLiftsAttributionsAndDelta() {
        DeepLift dl = new DeepLift(model.forwardFunction());
        Target t = Target.perExample(0, 2, 1);
        try (Attribution plain = dl.attribute(inputs(), t, new DeepLift.Options(true));
                Attribution custom =
                        dl.attribute(inputs(), t, new DeepLift.Options(true, DEFAULT))) {
            NDArrayAssert.assertThat(custom.attribution(0))
                    .isCloseTo(plain.attribution(0), 1e-6, 1e-7);
            NDArrayAssert.assertThat(custom.convergenceDelta().orElseThrow())
                    .isCloseTo(plain.convergenceDelta().orElseThrow(), 1e-6, 1e-6);
        }
    }

    @Test
    void theMultipliersAloneAreTheLocalAttributionAndMultiplyByInputsIsIgnored() {
        Target t = Target.index(1);
        CustomAttributionFunction multipliers = (m, in, base) -> m;
        try (Attribution local =
                        new DeepLift(model.forwardFunction(), false, DeepLift.DEFAULT_EPS)
                                .attribute(inputs(), t);
                Attribution custom =
                        new DeepLift(model.forwardFunction())
                                .attribute(inputs(), t, new DeepLift.Options(false, multipliers))) {
            NDArrayAssert.assertThat(custom.attribution(0))
                    .isCloseTo(local.attribution(0), 1e-6, 1e-7);
        }
    }

    @Test
    void theDeltaIsComputedFromTheCustomAttributions() {
        // completeness on a ReLU network: sum(m (x - x')) = F(x) - F(x'), so with 2 m (x - x')
        // the delta 2 sum - gap equals the gap
        Target t = Target.index(2);
        NDArray gap =
                model.forwardFunction()
                        .forward(new NDList(x), List.of())
                        .sub(model.forwardFunction().forward(new NDList(b), List.of()))
                        .get(":, 2");
        try (Attribution a =
                new DeepLift(model.forwardFunction())
                        .attribute(inputs(), t, new DeepLift.Options(true, TWICE))) {
            NDArrayAssert.assertThat(a.convergenceDelta().orElseThrow()).isCloseTo(gap, 1e-4, 1e-5);
        }
    }

    @Test
    void deepLiftShapAveragesTheCustomAttributionsOverTheSamples() {
        NDArray refs = manager.create(TestModels.gaussian(40, 13), new Shape(4, 10));
        Inputs in = Inputs.of(x).withBaselines(Baselines.distribution(refs));
        DeepLiftShap dls = new DeepLiftShap(model.forwardFunction());
        Target t = Target.index(0);
        try (Attribution plain = dls.attribute(in, t, new DeepLift.Options(true));
                Attribution twice = dls.attribute(in, t, new DeepLift.Options(true, TWICE))) {
            NDArrayAssert.assertThat(twice.attribution(0))
                    .isCloseTo(plain.attribution(0).mul(2), 1e-5, 1e-6);
            // per (example, sample): 2 sum - gap = gap + 2 delta_plain
            NDArray plainDelta = plain.convergenceDelta().orElseThrow();
            NDArray twiceDelta = twice.convergenceDelta().orElseThrow();
            assertThat(twiceDelta.getShape()).isEqualTo(new Shape(12));
            NDArray fx = model.forwardFunction().forward(new NDList(x), List.of()).get(":, 0");
            NDArray fr = model.forwardFunction().forward(new NDList(refs), List.of()).get(":, 0");
            NDArray gaps = fx.reshape(3, 1).sub(fr.reshape(1, 4)).reshape(12);
            NDArrayAssert.assertThat(twiceDelta)
                    .isCloseTo(gaps.add(plainDelta.mul(2)), 1e-4, 1e-5);
        }
    }

    @Test
    void layerDeepLiftPassesTheLayerValuesOfInputsAndBaselines() {
        LayerPath fc1 = LayerPath.of("fc1");
        Target t = Target.index(1);
        LayerDeepLift ldl = new LayerDeepLift(model, fc1);
        try (Attribution plain =
                        ldl.attribute(inputs(), t, new LayerDeepLift.Options(true, false));
                Attribution custom =
                        ldl.attribute(inputs(), t, new LayerDeepLift.Options(true, false, DEFAULT));
                Attribution twice =
                        new LayerDeepLiftShap(model, fc1)
                                .attribute(
                                        Inputs.of(x).withBaselines(Baselines.distribution(b)),
                                        t,
                                        new LayerDeepLift.Options(false, false, TWICE));
                Attribution shap =
                        new LayerDeepLiftShap(model, fc1)
                                .attribute(
                                        Inputs.of(x).withBaselines(Baselines.distribution(b)), t)) {
            assertThat(custom.attribution(0).getShape()).isEqualTo(new Shape(3, 16));
            NDArrayAssert.assertThat(custom.attribution(0))
                    .isCloseTo(plain.attribution(0), 1e-6, 1e-7);
            NDArrayAssert.assertThat(custom.convergenceDelta().orElseThrow())
                    .isCloseTo(plain.convergenceDelta().orElseThrow(), 1e-6, 1e-6);
            NDArrayAssert.assertThat(twice.attribution(0))
                    .isCloseTo(shap.attribution(0).mul(2), 1e-5, 1e-6);
        }
    }

    @Test
    void aFunctionReturningTheWrongTensorsIsRejectedByName() {
        DeepLift dl = new DeepLift(model.forwardFunction());
        CustomAttributionFunction none = (m, in, base) -> new NDList();
        CustomAttributionFunction flat = (m, in, base) -> new NDList(m.get(0).reshape(-1));
        assertThatThrownBy(
                        () -> dl.attribute(inputs(), Target.index(0), new DeepLift.Options(false, none)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customAttributionFunc")
                .hasMessageContaining("got 0");
        assertThatThrownBy(
                        () -> dl.attribute(inputs(), Target.index(0), new DeepLift.Options(false, flat)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customAttributionFunc")
                .hasMessageContaining("(30)");
        // a failed call leaves the next one working
        try (Attribution a = dl.attribute(inputs(), Target.index(0))) {
            assertThat(a.attribution(0).getShape()).isEqualTo(new Shape(3, 10));
        }
    }
}
