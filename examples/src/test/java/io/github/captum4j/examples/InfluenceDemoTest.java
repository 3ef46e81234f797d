package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

class InfluenceDemoTest {

    @Test
    void flipChangesExactlyTheChosenLabelsToAnotherClass() {
        int[] labels = new int[200];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % ShapesTask.CLASSES;
        }
        int[] before = labels.clone();
        int[] rows = InfluenceDemo.flip(labels, 0.05, 3);
        assertThat(rows).hasSize(10).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < labels.length; i++) {
            boolean chosen = Arrays.binarySearch(rows, i) >= 0;
            assertThat(labels[i] != before[i]).isEqualTo(chosen);
            assertThat(labels[i]).isBetween(0, ShapesTask.CLASSES - 1);
        }
    }

    @Test
    void precisionAtKCountsTheWantedRowsAmongTheKHighest() {
        float[] scores = {0.9f, 0.1f, 0.8f, 0.7f, 0.2f};
        assertThat(InfluenceDemo.precisionAtK(scores, new int[] {0, 2})).isEqualTo(1.0);
        assertThat(InfluenceDemo.precisionAtK(scores, new int[] {0, 1})).isEqualTo(0.5);
        assertThat(InfluenceDemo.precisionAtK(scores, new int[] {1, 4})).isEqualTo(0.0);
    }
}
