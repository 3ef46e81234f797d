package io.github.captum4j.metrics.summary;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captum's {@code ClassSummarizer}: a {@link Summarizer} per label (class) plus the summary of all
 * rows together. Each row of a batch is one observation, for its label's summary and for the total.
 * Mergeable like {@link Summarizer} (per label, then the total).
 *
 * <pre>{@code
 * ClassSummarizer<Integer> byClass = new ClassSummarizer<>(Stat.commonStats());
 * byClass.update(List.of(0, 2, 1), attributions);          // labels of the 3 rows
 * Summary ofClass2 = byClass.classSummaries().get(2).get(0);
 * Summary overall = byClass.summary(0);
 * }</pre>
 *
 * @param <K> the label type (any type usable as a map key)
 */
public final class ClassSummarizer<K> extends Summarizer {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<K, Summarizer> summaries = new LinkedHashMap<>();

    /**
     * A class summarizer tracking these statistics.
     *
     * @param stats the statistics to report
     */
    public ClassSummarizer(List<Stat> stats) {
        super(stats);
    }

    /**
     * Adds each row of the batch to the summary of its label and to the total (Captum's {@code
     * update(x, labels)}).
     *
     * @param labels one label for every row, or a single label for all rows
     * @param batch the tensors {@code (N, ...)}
     * @return this
     */
    public ClassSummarizer<K> update(List<K> labels, NDArray... batch) {
        if (batch.length == 0) {
            throw new IllegalArgumentException("at least one tensor is needed, got none");
        }
        long rows = batch[0].getShape().get(0);
        if (labels == null || labels.isEmpty() || (labels.size() != 1 && labels.size() != rows)) {
            throw new IllegalArgumentException(
                    "labels must hold 1 or "
                            + rows
                            + " (the batch size) labels, got "
                            + (labels == null ? "null" : labels.size()));
        }
        checkArity(batch.length);
        float[][] values = new float[batch.length][];
        long[][] rowShapes = new long[batch.length][];
        for (int i = 0; i < batch.length; i++) {
            long[] shape = batch[i].getShape().getShape();
            if (shape.length < 1 || shape[0] != rows) {
                throw new IllegalArgumentException(
                        "batch["
                                + i
                                + "] must have shape ("
                                + rows
                                + ", ...) like batch[0], got "
                                + Arrays.toString(shape));
            }
            values[i] = floats(batch[i]);
            rowShapes[i] = Arrays.copyOfRange(shape, 1, shape.length);
        }
        for (int r = 0; r < rows; r++) {
            K label = labels.get(labels.size() == 1 ? 0 : r);
            Summarizer perLabel = summaries.computeIfAbsent(label, k -> new Summarizer(stats()));
            for (int i = 0; i < batch.length; i++) {
                int size = (int) (values[i].length / rows);
                perLabel.add(i, rowShapes[i], values[i], r * size);
                add(i, rowShapes[i], values[i], r * size);
            }
        }
        return this;
    }

    /**
     * Adds one row, given as flat Java arrays (one per input), to its label and to the total.
     *
     * @param label the row's label
     * @param row the values of each input
     * @return this
     */
    public ClassSummarizer<K> updateRow(K label, float[]... row) {
        summaries.computeIfAbsent(label, k -> new Summarizer(stats())).updateRow(row);
        updateRow(row);
        return this;
    }

    /**
     * Merges the class summaries and the total of a disjoint stream into this one.
     *
     * @param other a class summarizer of the same statistics
     * @return this
     */
    @Override
    public ClassSummarizer<K> merge(Summarizer other) {
        super.merge(other);
        if (other instanceof ClassSummarizer<?> o) {
            for (Map.Entry<?, Summarizer> e : o.summaries.entrySet()) {
                @SuppressWarnings("unchecked")
                K key = (K) e.getKey();
                summaries.computeIfAbsent(key, k -> new Summarizer(stats())).merge(e.getValue());
            }
        }
        return this;
    }

    /**
     * The summaries of each label (Captum's {@code class_summaries}), one per input, in the order
     * the labels were first seen.
     *
     * @return label to per-input summaries
     */
    public Map<K, List<Summary>> classSummaries() {
        Map<K, List<Summary>> out = new LinkedHashMap<>();
        summaries.forEach((k, v) -> out.put(k, new ArrayList<>(v.summary())));
        return Collections.unmodifiableMap(out);
    }
}
