package io.github.captum4j.concept;

import io.github.captum4j.core.internal.Checks;

import java.util.Arrays;

/** Row checks and class lists shared by the classifiers. Not API. */
final class ClassifierData {
    private ClassifierData() {}

    static void check(float[][] x, int[] y) {
        Checks.notNull(x, "activations");
        Checks.notNull(y, "labels");
        Checks.argument(
                x.length == y.length && x.length > 0,
                "activations and labels must have the same number of rows (> 0), got %s and"
                        + " %s",
                x.length,
                y.length);
        for (float[] row : x) {
            Checks.argument(
                    row.length == x[0].length,
                    "activations rows must all have %s values, got a row of %s",
                    x[0].length,
                    row.length);
        }
    }

    static int[] classes(int[] y) {
        int[] c = Arrays.stream(y).distinct().sorted().toArray();
        Checks.argument(
                c.length >= 2,
                "labels must hold at least two concepts, got %s",
                Arrays.toString(c));
        return c;
    }
}
