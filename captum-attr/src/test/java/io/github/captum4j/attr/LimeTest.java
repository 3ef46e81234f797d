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

    /**
     * Repeated samples are evaluated once, and the fit uses every drawn copy: the coefficients
     * equal the weighted least squares over all drawn samples, built here by hand.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void duplicateSamplesAreEvaluatedOnceAndFittedAsEveryCopy(boolean builtInSurrogate) {
        int f = 4;
        int s = 24;
        byte[][][] coalitions = {
            {{1, 1, 1, 1}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 1, 0}, {1, 0, 1, 1}, {0, 0, 1, 0}},
            {{1, 1, 1, 1}, {0, 0, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 1}, {0, 0, 0, 1}}
        };
        byte[] drawn = new byte[2 * s * f];
        for (int e = 0; e < 2; e++) {
            for (int k = 0; k < s; k++) {
                byte[] c = coalitions[e][k % coalitions[e].length];
                System.arraycopy(c, 0, drawn, (e * s + k) * f, f);
            }
        }
        ForwardFunction model = TestModels.mlp(4, 5, 2, 11);
        java.util.concurrent.atomic.AtomicLong rows = new java.util.concurrent.atomic.AtomicLong();
        ForwardFunction counting =
                ForwardFunction.blackBox(
                        (in, args) -> {
                            rows.addAndGet(in.get(0).getShape().get(0));
                            return model.forward(in, args);
                        });
        Lime.SimilarityFunction kernel =
                Lime.SimilarityFunction.exponentialKernel(Lime.DistanceMode.COSINE, 1.0);
        InterpretableModel surrogate =
                builtInSurrogate
                        ? InterpretableModel.linearRegression()
                        : (xs, ys, ws) -> InterpretableModel.linearRegression().fit(xs, ys, ws);
        Lime lime =
                new Lime(
                        counting,
                        surrogate,
                        kernel,
                        (examples, nSamples, features, m) ->
                                m.create(drawn, new Shape(2, s, f))
                                        .toType(ai.djl.ndarray.types.DataType.BOOLEAN, false));
        NDArray x = manager.create(TestModels.gaussian(8, 12), new Shape(2, f));
        try (Attribution a =
                lime.attribute(
                        Inputs.of(x),
                        Target.index(1),
                        Lime.Options.builder()
                                .nSamples(s)
                                .perturbationsPerEval(4)
                                .returnInputShape(false)
                                .build())) {
            // 6 distinct samples for example 0, 5 for example 1 (padded to 6): 6 rows of 2.
            assertThat(rows.get()).isEqualTo(12);
            float[] coefs = a.attribution(0).toFloatArray();
            for (int e = 0; e < 2; e++) {
                double[][] z = new double[s][f];
                double[] y = new double[s];
                double[] w = new double[s];
                NDArray xe = x.get(e + ":" + (e + 1));
                for (int k = 0; k < s; k++) {
                    byte[] c = coalitions[e][k % coalitions[e].length];
                    float[] keep = new float[f];
                    for (int j = 0; j < f; j++) {
                        z[k][j] = c[j];
                        keep[j] = c[j];
                    }
                    NDArray perturbed = xe.mul(manager.create(keep, new Shape(1, f)));
                    y[k] = model.forward(new NDList(perturbed), List.of()).getFloat(0, 1);
                    w[k] =
                            kernel.similarity(
                                            new NDList(xe),
                                            new NDList(perturbed.expandDims(0)),
                                            manager.create(keep, new Shape(1, 1, f)).gt(0.5f))
                                    .getFloat(0, 0);
                }
                double[] expected = InterpretableModel.linearRegression().fit(z, y, w);
                for (int j = 0; j < f; j++) {
                    assertThat((double) coefs[e * f + j]).isCloseTo(expected[j], within(1e-4));
                }
            }
        }
    }
}
