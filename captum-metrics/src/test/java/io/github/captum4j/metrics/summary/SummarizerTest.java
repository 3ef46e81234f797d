package io.github.captum4j.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

class SummarizerTest {

    private static final List<Stat> ALL =
            List.of(
                    new Stat.Mean(),
                    new Stat.Var(),
                    new Stat.Var(1),
                    new Stat.StdDev(),
                    new Stat.StdDev(1),
                    new Stat.Min(),
                    new Stat.Max(),
                    new Stat.Sum(),
                    new Stat.Count(),
                    new Stat.MSE());

    /** rows x features, values of mixed scale so a naive variance would lose digits. */
    private static float[][] data(int rows, int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[rows][features];
        for (float[] row : x) {
            for (int j = 0; j < features; j++) {
                row[j] = (float) (1000 * j + random.nextGaussian() * (j + 1));
            }
        }
        return x;
    }

    /** Two-pass statistics in double: the definition. */
    private static Map<String, double[]> twoPass(float[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] sum = new double[d];
        double[] min = new double[d];
        double[] max = new double[d];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
                min[j] = Math.min(min[j], row[j]);
                max[j] = Math.max(max[j], row[j]);
            }
        }
        double[] m2 = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                m2[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
        }
        double[] var = new double[d];
        double[] sampleVar = new double[d];
        double[] std = new double[d];
        double[] sampleStd = new double[d];
        for (int j = 0; j < d; j++) {
            var[j] = m2[j] / n;
            sampleVar[j] = m2[j] / (n - 1);
            std[j] = Math.sqrt(var[j]);
            sampleStd[j] = Math.sqrt(sampleVar[j]);
        }
        return Map.of(
                "mean", mean, "variance", var, "sample_variance", sampleVar, "std_dev", std,
                "sample_std_dev", sampleStd, "min", min, "max", max, "sum", sum,
                "count", new double[] {n}, "mse", m2);
    }

    private static void assertRelative(Map<String, double[]> actual, Map<String, double[]> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (String key : expected.keySet()) {
            double[] e = expected.get(key);
            double[] a = actual.get(key);
            assertThat(a).as(key).hasSameSizeAs(e);
            for (int j = 0; j < e.length; j++) {
                assertThat(a[j]).as(key + "[" + j + "]").isCloseTo(e[j], within(1e-6 * Math.max(1, Math.abs(e[j]))));
            }
        }
    }

    @Test
    void onePassOverBatchesEqualsTheTwoPassDefinition() {
        float[][] x = data(1000, 4, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Summarizer s = new Summarizer(ALL);
            for (int start = 0; start < x.length; start += 64) {
                int end = Math.min(x.length, start + 64);
                s.updateRows(manager.create(java.util.Arrays.copyOfRange(x, start, end)));
            }
            assertRelative(s.summary(0).toMap(), twoPass(x));
            assertThat(s.summary(0).shape()).containsExactly(4);
        }
    }

    @Test
    void mergedPartialSummariesEqualTheOnePassSummary() throws Exception {
        float[][] x = data(3000, 5, 2);
        Summarizer whole = new Summarizer(ALL);
        for (float[] row : x) {
            whole.updateRow(row);
        }
        // uneven partitions, one of them empty, merged through Java serialization as a reduce does
        int[] cuts = {0, 7, 7, 1500, 2999, 3000};
        Summarizer merged = null;
        for (int p = 0; p + 1 < cuts.length; p++) {
            Summarizer part = new Summarizer(ALL);
            for (int r = cuts[p]; r < cuts[p + 1]; r++) {
                part.updateRow(x[r]);
            }
            part = roundTrip(part);
            merged = merged == null ? part : merged.merge(part);
        }
        assertRelative(merged.summary(0).toMap(), whole.summary(0).toMap());
        assertRelative(merged.summary(0).toMap(), twoPass(x));
    }

    @Test
    void updateAddsTheWholeTensorAsOneObservationAsCaptumDoes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Summarizer s = new Summarizer(List.of(new Stat.Mean(), new Stat.Var(1), new Stat.MSE()));
            s.update(manager.create(new float[] {1, 2, 3, 4, 5}));
            Map<String, double[]> first = s.summary(0).toMap();
            assertThat(s.summary(0).count()).isEqualTo(1);
            assertThat(first.get("mean")).containsExactly(1, 2, 3, 4, 5);
            // Captum: mse is zeros after one update, the sample variance zero while n <= order
            assertThat(first.get("mse")).containsOnly(0.0);
            assertThat(first.get("sample_variance")).containsOnly(0.0);
            s.update(manager.create(new float[] {3, 2, 1, 0, -1}));
            assertThat(s.summary(0).get(new Stat.Mean())).containsExactly(2, 2, 2, 2, 2);
            assertThat(s.summary(0).get(new Stat.Var(1))).containsExactly(2, 0, 2, 8, 18);
            NDArray mean = s.summary(0).get(new Stat.Mean(), manager);
            assertThat(mean.getShape().getShape()).containsExactly(5);
        }
    }

    @Test
    void classSummariesAreTheSummariesOfEachLabelsRows() {
        float[][] x = data(200, 3, 3);
        List<Integer> labels = new ArrayList<>();
        for (int r = 0; r < x.length; r++) {
            labels.add((r * 7) % 3);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassSummarizer<Integer> byClass = new ClassSummarizer<>(ALL);
            byClass.update(labels.subList(0, 120), manager.create(java.util.Arrays.copyOfRange(x, 0, 120)));
            byClass.update(labels.subList(120, 200), manager.create(java.util.Arrays.copyOfRange(x, 120, 200)));
            assertThat(byClass.classSummaries().keySet()).containsExactly(0, 1, 2);
            for (int label = 0; label < 3; label++) {
                List<float[]> rows = new ArrayList<>();
                for (int r = 0; r < x.length; r++) {
                    if (labels.get(r) == label) {
                        rows.add(x[r]);
                    }
                }
                assertRelative(
                        byClass.classSummaries().get(label).get(0).toMap(),
                        twoPass(rows.toArray(new float[0][])));
            }
            assertRelative(byClass.summary(0).toMap(), twoPass(x));
        }
    }

    @Test
    void mismatchedUpdatesAreRejectedNamingTheArgument() {
        Summarizer s = new Summarizer(List.of(new Stat.Mean()));
        s.updateRow(new float[3]);
        assertThatThrownBy(() -> s.updateRow(new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]");
        assertThatThrownBy(() -> s.merge(new Summarizer(List.of(new Stat.Max()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same stats");
        assertThatThrownBy(() -> new Stat.Var(-1)).hasMessageContaining("order");
    }

    private static Summarizer roundTrip(Summarizer s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Summarizer) in.readObject();
        }
    }
}
