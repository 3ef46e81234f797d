package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

class TargetsTest {

    private NDManager manager;
    private NDArray out; // (2, 3): row n = [10n, 10n+1, 10n+2]

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        out = manager.create(new float[] {0, 1, 2, 10, 11, 12}, new Shape(2, 3));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void indexSelectsTheSameColumnForEveryExample() {
        assertThat(Targets.select(out, Target.index(2)).toFloatArray()).containsExactly(2, 12);
    }

    @Test
    void perExampleSelectsOneColumnPerRow() {
        assertThat(Targets.select(out, Target.perExample(1, 0)).toFloatArray())
                .containsExactly(1, 10);
    }

    @Test
    void positionIndexesSeveralDimensions() {
        NDArray cube = manager.arange(16f).reshape(2, 2, 2, 2);
        assertThat(Targets.select(cube, Target.position(1, 0, 1)).toFloatArray())
                .containsExactly(5, 13);
        assertThat(
                        Targets.select(
                                        cube,
                                        Target.perExample(
                                                List.of(new int[] {0, 0, 1}, new int[] {1, 1, 1})))
                                .toFloatArray())
                .containsExactly(1, 15);
    }

    @Test
    void noneNeedsOneValuePerExample() {
        assertThat(Targets.select(out.get(":, 1:2"), Target.none()).toFloatArray())
                .containsExactly(1, 11);
        assertThatThrownBy(() -> Targets.select(out, Target.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "target is required: forward output has shape (2, 3), more than one value"
                            + " per example");
    }

    @Test
    void outOfRangeIndexNamesDimensionAndShape() {
        assertThatThrownBy(() -> Targets.select(out, Target.index(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "target index 3 is out of range for dimension 1 of size 3 (forward output"
                            + " shape (2, 3))");
    }

    @Test
    void targetMustSelectOneValue() {
        NDArray cube = manager.zeros(new Shape(2, 3, 4));
        assertThatThrownBy(() -> Targets.select(cube, Target.index(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selects 4 values per example");
    }

    @Test
    void perExampleTargetNeedsOneEntryPerExample() {
        assertThatThrownBy(() -> Targets.validate(Target.perExample(0, 1, 2), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("target must hold one entry per example (2), got 3 entries");
        assertThatThrownBy(() -> Target.index(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target indices must be >= 0");
    }
}
