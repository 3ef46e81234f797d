package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.TestModels;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The batching option of every sampling method ({@code perturbationsPerEval} of the perturbation
 * samplers, {@code internalBatchSize} of the GradientShap family) changes how many rows a forward
 * pass holds, never the result: a seeded call gives the same attributions in one pass per sample
 * as in a few large passes, and the large passes are fewer.
 */
class SamplingBatchesTest {

    private NDManager manager;
    private final AtomicInteger forwards = new AtomicInteger();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private ForwardFunction model() {
        ForwardFunction mlp = TestModels.mlp(6, 9, 3, 21);
        return (x, args) -> {
            forwards.incrementAndGet();
            return mlp.forward(x, args);
        };
    }

    private Inputs inputs() {
        NDArray x = manager.create(TestModels.gaussian(24, 5), new Shape(4, 6));
        return Inputs.of(x);
    }

    private NDArray mask() {
        return manager.create(new long[] {0, 0, 1, 2, 2, 3}, new Shape(1, 6));
    }

    /** Runs the call unbatched (batch 1) and batched; asserts equal results and fewer passes. */
    private void sameResult(IntFunction<Attribution> call, int batched) {
        forwards.set(0);
        try (Attribution one = call.apply(1)) {
            int onePasses = forwards.getAndSet(0);
            try (Attribution many = call.apply(batched)) {
                assertThat(forwards.get()).isLessThan(onePasses);
                assertThat(many.attribution(0).toFloatArray())
                        .containsExactly(one.attribution(0).toFloatArray(), Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void shapleyValueSampling() {
        ShapleyValueSampling m = new ShapleyValueSampling(model());
        sameResult(
                ppe ->
                        m.attribute(
                                inputs(),
                                Target.index(1),
                                ShapleyValueSampling.Options.builder()
                                        .nSamples(6)
                                        .featureMask(mask())
                                        .perturbationsPerEval(ppe)
                                        .seed(3)
                                        .build()),
                5);
    }

    @Test
    void limeWithEachInterpretableModelAndKernelShap() {
        for (InterpretableModel surrogate :
                List.<InterpretableModel>of(
                        new SkLearnLinearRegression(), new SkLearnRidge(1.0), new SkLearnLasso(0.01))) {
            Lime lime =
                    new Lime(
                            model(),
                            surrogate,
                            Lime.SimilarityFunction.DEFAULT,
                            Lime.PerturbFunction.DEFAULT);
            sameResult(
                    ppe ->
                            lime.attribute(
                                    inputs(),
                                    Target.index(2),
                                    Lime.Options.builder()
                                            .nSamples(40)
                                            .featureMask(mask())
                                            .perturbationsPerEval(ppe)
                                            .seed(4)
                                            .build()),
                    16);
        }
        KernelShap shap = new KernelShap(model());
        sameResult(
                ppe ->
                        shap.attribute(
                                inputs(),
                                Target.index(0),
                                Lime.Options.builder()
                                        .nSamples(40)
                                        .featureMask(mask())
                                        .perturbationsPerEval(ppe)
                                        .seed(9)
                                        .build()),
                16);
    }

    @Test
    void featurePermutation() {
        FeaturePermutation m = new FeaturePermutation(model());
        sameResult(
                ppe ->
                        m.attribute(
                                inputs(),
                                Target.index(1),
                                FeaturePermutation.Options.builder()
                                        .featureMask(mask())
                                        .perturbationsPerEval(ppe)
                                        .seed(2)
                                        .build()),
                3);
    }
}
