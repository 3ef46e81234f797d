package io.github.captum4j.attr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

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
                                        Inputs.of(manager.zeros(new Shape(1, 3))), Target.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs must hold at least 2 examples to permute features, got 1");
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
}
