package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.testing.NDArrayAssert;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeaturePermutationTest {

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
    void needsABatchAndOneMaskForAllExamples() {
        FeaturePermutation fp = new FeaturePermutation((x, args) -> x.get(0).sum(new int[] {1}));
        assertThatThrownBy(
                        () ->
                                fp.attribute(
                                        Inputs.of(manager.zeros(new Shape(1, 3))),
                                        Target.none(),
                                        FeaturePermutation.Options.builder()
                                                .minExamplesPerBatch(1)
                                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "inputs must hold at least 2 examples to permute features, got 1");
        assertThatThrownBy(
                        () ->
                                fp.attribute(
                                        Inputs.of(manager.zeros(new Shape(2, 3))),
                                        Target.none(),
                                        FeaturePermutation.Options.builder()
                                                .featureMask(
                                                        manager.zeros(
                                                                new Shape(2, 3), DataType.INT64))
                                                .build()))
                .hasMessageContaining("featureMask[0] must have size 1 in dimension 0");
    }

    /** Captum's _min_examples_per_batch_grouped: a batch below it skips every group (zeros). */
    @Test
    void aBatchBelowMinExamplesPerBatchGetsZeroAttributions() {
        FeaturePermutation fp = new FeaturePermutation((x, args) -> x.get(0).sum(new int[] {1}));
        NDArray one = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
        NDArray three = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new Shape(3, 3));
        try (Attribution a = fp.attribute(Inputs.of(one), Target.none());
                Attribution b =
                        fp.attribute(
                                Inputs.of(three),
                                Target.none(),
                                FeaturePermutation.Options.builder()
                                        .minExamplesPerBatch(4)
                                        .seed(0)
                                        .build());
                Attribution c =
                        fp.attribute(
                                Inputs.of(three),
                                Target.none(),
                                FeaturePermutation.Options.builder()
                                        .minExamplesPerBatch(3)
                                        .seed(0)
                                        .build())) {
            NDArrayAssert.assertThat(a.attribution(0)).isCloseTo(new double[] {0, 0, 0}, 0, 0);
            NDArrayAssert.assertThat(b.attribution(0)).isCloseTo(new double[9], 0, 0);
            // At the threshold the features are permuted: a shuffled column moves some rows.
            assertThat(c.attribution(0).abs().sum().getFloat()).isPositive();
        }
    }

    /**
     * With a batch of 2 the only non-identity permutation swaps the examples, so the result is
     * exact: f = x1[:, 0] * x2[:, 0], one id shared by both inputs. Cross-tensor (the default)
     * swaps both factors: a_n = f(n) - f(other); per input (Captum 0.8) swaps one factor.
     */
    @Test
    void aSharedIdIsPermutedInEveryInputByDefault() {
        FeaturePermutation fp =
                new FeaturePermutation(
                        (x, args) -> x.get(0).get(":, 0").mul(x.get(1).get(":, 0")));
        NDArray x1 = manager.create(new float[] {2, 3}, new Shape(2, 1));
        NDArray x2 = manager.create(new float[] {5, 7}, new Shape(2, 1));
        NDArray m = manager.create(new long[] {0}, new Shape(1, 1));
        FeaturePermutation.Options.Builder o = FeaturePermutation.Options.builder().featureMask(m, m);
        try (Attribution cross = fp.attribute(Inputs.of(x1, x2), Target.none(), o.build());
                Attribution separate =
                        fp.attribute(
                                Inputs.of(x1, x2),
                                Target.none(),
                                o.enableCrossTensorAttribution(false).build())) {
            // f = (10, 21); swapped: (21, 10).
            NDArrayAssert.assertThat(cross.attribution(0)).isCloseTo(new double[] {-11, 11}, 0, 1e-6);
            NDArrayAssert.assertThat(cross.attribution(1)).isCloseTo(new double[] {-11, 11}, 0, 1e-6);
            // x1 swapped alone: (15, 14); x2 swapped alone: (14, 15).
            NDArrayAssert.assertThat(separate.attribution(0)).isCloseTo(new double[] {-5, 7}, 0, 1e-6);
            NDArrayAssert.assertThat(separate.attribution(1)).isCloseTo(new double[] {-4, 6}, 0, 1e-6);
        }
    }
}
