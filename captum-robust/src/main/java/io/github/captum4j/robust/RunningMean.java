package io.github.captum4j.robust;

import io.github.captum4j.robust.AttackComparator.MetricValue;

import java.util.ArrayList;
import java.util.List;

/** The running mean over calls of one summary key's batch means. Not API. */
final class RunningMean {

    private final List<long[]> shapes = new ArrayList<>();
    private final List<double[]> sums = new ArrayList<>();
    private int count;

    void add(List<MetricValue> values) {
        if (count == 0) {
            for (MetricValue v : values) {
                shapes.add(v.shape());
                sums.add(new double[v.values().length]);
            }
        }
        io.github.captum4j.core.internal.Checks.argument(
                values.size() == sums.size(),
                "metric must return the same number of tensors on every call (%s), got %s",
                sums.size(),
                values.size());
        for (int c = 0; c < values.size(); c++) {
            float[] v = values.get(c).values();
            double[] s = sums.get(c);
            io.github.captum4j.core.internal.Checks.argument(
                    v.length == s.length,
                    "metric tensor %s must keep its per-example size %s across calls, got %s",
                    c,
                    s.length,
                    v.length);
            for (int i = 0; i < v.length; i++) {
                s[i] += v[i];
            }
        }
        count++;
    }

    List<MetricValue> mean() {
        List<MetricValue> out = new ArrayList<>(sums.size());
        for (int c = 0; c < sums.size(); c++) {
            double[] s = sums.get(c);
            float[] m = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                m[i] = (float) (s[i] / count);
            }
            out.add(new MetricValue(shapes.get(c), m));
        }
        return out;
    }
}
