package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.core.Target;

import org.junit.jupiter.api.Test;

import java.util.List;

class ExpansionTest {

    @Test
    void tileStacksCopiesOfTheBatchAndRepeatInterleaveGroupsEachExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            assertThat(Expansion.expand(x, 2, Expansion.Layout.TILE).toFloatArray())
                    .containsExactly(1, 2, 3, 4, 1, 2, 3, 4);
            assertThat(Expansion.expand(x, 2, Expansion.Layout.REPEAT_INTERLEAVE).toFloatArray())
                    .containsExactly(1, 2, 1, 2, 3, 4, 3, 4);
        }
    }

    @Test
    void argsWithTheBatchDimensionAreExpandedOthersPassThrough() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray perExample = m.create(new float[] {5, 6});
            NDArray other = m.create(new float[] {7, 8, 9});
            List<Object> out =
                    Expansion.expandArgs(
                            List.of(perExample, other, 3, true), 2, 3, Expansion.Layout.TILE);
            assertThat(((NDArray) out.get(0)).toFloatArray()).containsExactly(5, 6, 5, 6, 5, 6);
            assertThat(out.get(1)).isSameAs(other);
            assertThat(out.subList(2, 4)).containsExactly(3, true);
        }
    }

    @Test
    void perExampleTargetsFollowTheLayout() {
        Target t = Target.perExample(4, 7);
        assertThat(Expansion.expand(t, 2, Expansion.Layout.TILE))
                .isEqualTo(Target.perExample(4, 7, 4, 7));
        assertThat(Expansion.expand(t, 2, Expansion.Layout.REPEAT_INTERLEAVE))
                .isEqualTo(Target.perExample(4, 4, 7, 7));
        assertThat(Expansion.expand(Target.index(3), 5, Expansion.Layout.TILE))
                .isEqualTo(Target.index(3));
    }
}
