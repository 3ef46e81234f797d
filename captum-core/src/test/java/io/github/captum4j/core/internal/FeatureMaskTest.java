package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

class FeatureMaskTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDList inputs() {
        return new NDList(manager.zeros(new Shape(2, 3)), manager.zeros(new Shape(2, 2, 2)));
    }

    @Test
    void defaultPerTensorMaskNumbersEachInputFromZero() {
        FeatureMask mask = FeatureMask.perTensor(null, inputs(), manager);
        assertThat(mask.ids(0).toLongArray()).containsExactly(0, 1, 2);
        assertThat(mask.ids(1).toLongArray()).containsExactly(0, 1, 2, 3);
        assertThat(mask.rangeSize(0)).isEqualTo(3);
        assertThat(mask.count()).isEqualTo(7);
    }

    @Test
    void defaultSharedMaskNumbersConsecutivelyOverInputs() {
        FeatureMask mask = FeatureMask.shared(null, inputs(), false, manager);
        assertThat(mask.ids(1).toLongArray()).containsExactly(3, 4, 5, 6);
        assertThat(mask.count()).isEqualTo(7);
    }

    @Test
    void sharedMaskShiftsToZeroForLime() {
        NDArray m = manager.create(new long[] {2, 2, 3}, new Shape(1, 3));
        FeatureMask mask =
                FeatureMask.shared(List.of(m), new NDList(inputs().get(0)), true, manager);
        assertThat(mask.ids(0).toLongArray()).containsExactly(0, 0, 1);
        assertThat(mask.count()).isEqualTo(2);
    }

    @Test
    void broadcastMaskIsExpandedToTheExampleShape() {
        NDArray x = manager.zeros(new Shape(2, 3, 2, 2));
        NDArray m = manager.create(new long[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
        FeatureMask mask = FeatureMask.perTensor(List.of(m), new NDList(x), manager);
        assertThat(mask.ids(0).getShape()).isEqualTo(new Shape(1, 3, 2, 2));
        assertThat(mask.rangeSize(0)).isEqualTo(4);
    }

    @Test
    void ablationKeepIsFalseExactlyOnTheAblatedFeature() {
        NDArray m = manager.create(new long[] {5, 6, 6}, new Shape(1, 3));
        FeatureMask mask = FeatureMask.perTensor(List.of(m), new NDList(inputs().get(0)), manager);
        NDArray keep = mask.ablationKeep(0, mask.min(0), 2, manager);
        assertThat(keep.getShape()).isEqualTo(new Shape(2, 1, 3));
        assertThat(keep.toBooleanArray()).containsExactly(false, true, true, true, false, false);
    }

    @Test
    void keepFromPresencePicksEachElementsFeature() {
        FeatureMask mask = FeatureMask.shared(null, new NDList(inputs().get(0)), false, manager);
        NDArray presence =
                manager.create(
                        new boolean[] {true, false, true, false, false, true}, new Shape(2, 3));
        NDArray keep = mask.keepFromPresence(presence).get(0);
        assertThat(keep.getShape()).isEqualTo(new Shape(2, 1, 3));
        assertThat(keep.toBooleanArray()).containsExactly(true, false, true, false, false, true);
        NDArray perExample = presence.reshape(1, 2, 3);
        assertThat(mask.keepFromPresence(perExample).get(0).getShape())
                .isEqualTo(new Shape(1, 2, 3));
    }

    @Test
    void spreadGivesEveryElementItsFeatureValue() {
        NDArray m = manager.create(new long[] {1, 0, 1}, new Shape(1, 3));
        FeatureMask mask =
                FeatureMask.shared(List.of(m), new NDList(inputs().get(0)), false, manager);
        NDArray values = manager.create(new float[] {10, 20, 30, 40}, new Shape(2, 2));
        NDArray spread = mask.spread(values, List.of(new Shape(2, 3))).get(0);
        assertThat(spread.toFloatArray()).containsExactly(20, 10, 20, 40, 30, 40);
    }

    @Test
    void rangeIsExactBeyondFloatPrecision() {
        long start = (1L << 40) + 3;
        assertThat(FeatureMask.range(manager, start, 3).toLongArray())
                .containsExactly(start, start + 1, start + 2);
        assertThat(FeatureMask.range(manager, 7, 2).getDataType()).isEqualTo(DataType.INT64);
    }

    @Test
    void badMasksAreRejectedWithTheArgumentNamed() {
        NDList x = new NDList(inputs().get(0));
        assertThatThrownBy(
                        () ->
                                FeatureMask.perTensor(
                                        List.of(manager.zeros(new Shape(1, 4), DataType.INT64)),
                                        x,
                                        manager))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "featureMask[0] shape (1, 4) does not fit inputs[0] shape (2, 3)");
        assertThatThrownBy(
                        () ->
                                FeatureMask.perTensor(
                                        List.of(manager.zeros(new Shape(1, 3))), x, manager))
                .hasMessageContaining("featureMask[0] must hold integers");
        assertThatThrownBy(
                        () ->
                                FeatureMask.shared(
                                        List.of(
                                                manager.create(
                                                        new long[] {-1, 0, 1}, new Shape(1, 3))),
                                        x,
                                        false,
                                        manager))
                .hasMessageContaining("featureMask ids must be >= 0");
        assertThatThrownBy(() -> FeatureMask.perTensor(List.of(), x, manager))
                .hasMessageContaining("featureMask must hold one mask per input (1), got 0");
    }
}
