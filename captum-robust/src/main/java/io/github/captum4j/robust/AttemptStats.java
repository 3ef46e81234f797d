package io.github.captum4j.robust;

import io.github.captum4j.robust.AttackComparator.MetricValue;

import java.util.ArrayList;
import java.util.List;

/**
 * Element-wise statistics of metric values over attempts (Captum's {@code Summarizer} with {@code
 * Mean}, {@code Min}, {@code Max}). Not API.
 */
final class AttemptStats {

    enum Kind {
        MEAN,
        MIN,
        MAX
    }

    private AttemptStats() {}

    /** One statistic per metric tensor over the attempts' values. */
    static List<MetricValue> reduce(List<List<MetricValue>> attempts, Kind kind) {
        int tensors = attempts.get(0).size();
        List<MetricValue> out = new ArrayList<>(tensors);
        for (int c = 0; c < tensors; c++) {
            MetricValue first = attempts.get(0).get(c);
            int size = first.values().length;
            double[] acc = new double[size];
            for (int i = 0; i < size; i++) {
                acc[i] =
                        kind == Kind.MIN
                                ? Double.POSITIVE_INFINITY
                                : kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
            }
            for (List<MetricValue> attempt : attempts) {
                float[] v = attempt.get(c).values();
                for (int i = 0; i < size; i++) {
                    acc[i] =
                            switch (kind) {
                                case MEAN -> acc[i] + v[i];
                                case MIN -> Math.min(acc[i], v[i]);
                                case MAX -> Math.max(acc[i], v[i]);
                            };
                }
            }
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = (float) (kind == Kind.MEAN ? acc[i] / attempts.size() : acc[i]);
            }
            out.add(new MetricValue(first.shape(), values));
        }
        return out;
    }
}
