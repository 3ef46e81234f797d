package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.model.ImportedModel;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Properties of GuidedBackprop, Deconvolution and LRP (their golden cases run in
 * captum-conformance's {@code GoldenCasesTest}).
 */
class GuidedBackpropTest {

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
    void onAReluMlpDeconvolutionDoesNotDependOnTheInputButGuidedBackpropDoes() throws Exception {
        try (ImportedModel model = model("tabular_mlp")) {
            NDArray x = manager.create(TestModels.gaussian(40, 3), new Shape(4, 10));
            Inputs in = Inputs.of(x);
            Inputs flipped = Inputs.of(x.mul(-2f).add(1f));
            Target t = Target.index(0);
            Deconvolution d = new Deconvolution(model.forwardFunction());
            GuidedBackprop g = new GuidedBackprop(model.forwardFunction());
            try (Attribution a = d.attribute(in, t);
                    Attribution b = d.attribute(flipped, t);
                    Attribution ga = g.attribute(in, t);
                    Attribution gb = g.attribute(flipped, t)) {
                // Linear and ReLU only: deconvolution's ReLU ignores which units are active
                NDArrayAssert.assertThat(b.attribution(0)).isCloseTo(a.attribution(0), 1e-6, 1e-9);
                assertThat(gb.attribution(0).sub(ga.attribution(0)).abs().max().getFloat())
                        .isGreaterThan(0f);
            }
        }
    }

    @Test
    void zennitStyleCompositeRunsAndKeepsShapes() throws Exception {
        try (ImportedModel model = model("small_cnn")) {
            Inputs in = image();
            LRP lrp = new LRP(model.forwardFunction(), Composite.epsilonGammaBox("conv1", -1f, 1f));
            try (Attribution a = lrp.attribute(in, Target.index(3), new LRP.Options(true))) {
                assertThat(a.attribution(0).getShape()).isEqualTo(in.tensors().get(0).getShape());
                assertThat(a.convergenceDelta().orElseThrow().isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void methodsWithoutBaselinesRejectThem() throws Exception {
        try (ImportedModel model = model("small_cnn")) {
            Inputs in = image().withBaselines(Baselines.scalar(1f));
            assertThatThrownBy(
                            () ->
                                    new GuidedBackprop(model.forwardFunction())
                                            .attribute(in, Target.index(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("baselines");
        }
    }

    private ImportedModel model(String id) throws Exception {
        return ImportedModel.load(TestModels.model(id + ".json"), manager);
    }

    /** Two seeded 28x28 images for small_cnn. */
    private Inputs image() {
        return Inputs.of(
                manager.create(TestModels.gaussian(2 * 28 * 28, 11), new Shape(2, 1, 28, 28)));
    }
}
