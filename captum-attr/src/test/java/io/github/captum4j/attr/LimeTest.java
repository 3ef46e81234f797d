package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

class LimeTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** On a linear model the weighted least-squares fit is exact for any full-rank sample set. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void kernelShapIsExactOnTheGoldenLinearModelForAnySeed(int seed) {
        try (PerturbationFixture fx =
                        PerturbationFixture.load("kernel_shap_linear_exact", manager);
                Attribution a =
                        new KernelShap(fx.model)
                                .attribute(
                                        fx.inputs,
                                        fx.c.target(),
                                        Lime.Options.builder()
                                                .nSamples(100)
                                                .perturbationsPerEval(50)
                                                .seed(seed)
                                                .build())) {
            NDArrayAssert.assertThat(a.attribution(0))
                    .isCloseTo(fx.c.tensor("exact_shapley_enumeration", manager), 1e-4, 3e-6);
        }
    }

    @Test
    void limeWithLinearRegressionRecoversALinearModelsContributions() {
        ForwardFunction f = ForwardFunction.blackBox(TestModels.linear(6, 2, 3));
        NDArray x = manager.create(TestModels.gaussian(12, 4), new Shape(2, 6));
        Inputs in = Inputs.of(x).withBaselines(Baselines.scalar(0.5f));
        Lime lime =
                new Lime(
                        f,
                        InterpretableModel.linearRegression(),
                        Lime.SimilarityFunction.exponentialKernel(Lime.DistanceMode.EUCLIDEAN, 2),
                        Lime.PerturbFunction.DEFAULT);
        try (Attribution a =
                lime.attribute(
                        in,
                        Target.index(1),
                        Lime.Options.builder()
                                .nSamples(60)
                                .perturbationsPerEval(60)
                                .seed(1)
                                .build())) {
            NDArray eye = manager.eye(6);
            NDArray w =
                    f.forward(new NDList(eye), List.of())
                            .sub(f.forward(new NDList(manager.zeros(new Shape(1, 6))), List.of()))
                            .get(":, 1")
                            .reshape(1, 6);
            NDArrayAssert.assertThat(a.attribution(0)).isCloseTo(x.sub(0.5f).mul(w), 1e-4, 1e-5);
        }
    }

    @Test
    void groupsShareOneCoefficientAndCoefficientsCanBeReturnedAlone() {
        ForwardFunction f = ForwardFunction.blackBox(TestModels.mlp(6, 5, 2, 5));
        NDArray x = manager.create(TestModels.gaussian(12, 6), new Shape(2, 6));
        NDArray groups = manager.create(new long[] {3, 3, 4, 4, 5, 5}, new Shape(1, 6));
        Lime lime = new Lime(f);
        Lime.Options o = Lime.Options.builder().featureMask(groups).nSamples(40).seed(3).build();
        try (Attribution a = lime.attribute(Inputs.of(x), Target.index(0), o);
                Attribution c =
                        lime.attribute(
                                Inputs.of(x),
                                Target.index(0),
                                o.toBuilder().returnInputShape(false).build())) {
            NDArray coefs = c.attribution(0);
            NDArrayAssert.assertThat(coefs).hasShape(2, 3);
            float[] v = a.attribution(0).toFloatArray();
            float[] k = coefs.toFloatArray();
            for (int e = 0; e < 2; e++) {
                for (int j = 0; j < 6; j++) {
                    assertThat(v[e * 6 + j]).isEqualTo(k[e * 3 + j / 2]);
                }
            }
        }
    }

    /** The endpoints' large weight makes KernelShap (nearly) efficient. */
    @Test
    void kernelShapIsNearlyEfficient() {
        ForwardFunction f = ForwardFunction.blackBox(TestModels.mlp(5, 6, 2, 7));
        NDArray x = manager.create(TestModels.gaussian(10, 8), new Shape(2, 5));
        try (Attribution a =
                new KernelShap(f)
                        .attribute(
                                Inputs.of(x),
                                Target.index(1),
                                Lime.Options.builder()
                                        .nSamples(50)
                                        .perturbationsPerEval(50)
                                        .seed(2)
                                        .build())) {
            float[] sums = a.attribution(0).sum(new int[] {1}).toFloatArray();
            float[] fx = f.forward(new NDList(x), List.of()).get(":, 1").toFloatArray();
            float[] fb =
                    f.forward(new NDList(manager.zeros(new Shape(1, 5))), List.of())
                            .get(":, 1")
                            .toFloatArray();
            for (int e = 0; e < 2; e++) {
                assertThat((double) sums[e]).isCloseTo(fx[e] - fb[0], within(1e-3));
            }
        }
    }
}
