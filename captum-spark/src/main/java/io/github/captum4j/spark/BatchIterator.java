package io.github.captum4j.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One partition's rows, explained {@code batchSize} rows at a time (not API): reads a batch,
 * attributes it on the executor's model in a per-batch manager, yields the rows with their
 * attributions appended, then reads the next batch. Only one batch is held in memory.
 */
final class BatchIterator implements Iterator<Row> {
    private final DatasetExplainer.Options options;
    private final RowLayout layout;
    private final int partition;
    private final Iterator<Row> source;
    private final LongAccumulator rowsDone;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private ForwardFunction model;
    private long batch;

    BatchIterator(
            DatasetExplainer.Options options,
            RowLayout layout,
            int partition,
            Iterator<Row> source,
            LongAccumulator rowsDone) {
        this.options = options;
        this.layout = layout;
        this.partition = partition;
        this.source = source;
        this.rowsDone = rowsDone;
    }

    @Override
    public boolean hasNext() {
        if (ready.isEmpty() && source.hasNext()) {
            explainNextBatch();
        }
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    private void explainNextBatch() {
        List<Row> rows = new ArrayList<>(options.batchSize());
        while (rows.size() < options.batchSize() && source.hasNext()) {
            rows.add(source.next());
        }
        float[][] x = new float[rows.size()][];
        int[] targets = new int[rows.size()];
        for (int r = 0; r < x.length; r++) {
            x[r] = layout.features(rows.get(r));
            if (x[r].length != x[0].length) {
                throw new IllegalArgumentException(
                        "every row must have "
                                + x[0].length
                                + " features like the first of its batch, got "
                                + x[r].length);
            }
            if (layout.target() >= 0) {
                targets[r] = ((Number) rows.get(r).get(layout.target())).intValue();
            }
        }
        float[][] attributions = attribute(x, targets);
        for (int r = 0; r < x.length; r++) {
            Row row = rows.get(r);
            Object[] values = new Object[row.length() + 1];
            for (int c = 0; c < row.length(); c++) {
                values[c] = row.get(c);
            }
            values[row.length()] = attributions[r];
            ready.add(RowFactory.create(values));
        }
        rowsDone.add(x.length);
        batch++;
    }

    private float[][] attribute(float[][] x, int[] targets) {
        if (model == null) {
            model = options.model().load();
        }
        Target target =
                layout.target() >= 0
                        ? Target.perExample(targets)
                        : options.targetIndex() != null
                                ? Target.index(options.targetIndex())
                                : Target.none();
        int seed = DatasetExplainer.batchSeed(options.seed(), partition, batch);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x);
            try (Attribution a = options.explainer().explain(model, Inputs.of(input), target, seed)) {
                NDArray attr = a.attribution(0);
                float[] flat = attr.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                int width = flat.length / x.length;
                float[][] out = new float[x.length][];
                for (int r = 0; r < x.length; r++) {
                    out[r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
                }
                return out;
            }
        }
    }
}
