package io.github.captum4j.metrics.summary;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Captum's {@code Summarizer}: statistics ({@link Stat}: mean, variance, standard deviation, min,
 * max, sum, count, MSE) of a stream of tensors, element by element, in one pass and in constant
 * memory, one summary per input tensor.
 *
 * <p>As in Captum, {@link #update(NDArray...)} adds each tensor as <em>one</em> observation; {@link
 * #updateRows(NDArray...)} adds each row (dimension 0) of a batch of attributions as one observation,
 * as {@link ClassSummarizer} does. Means and \( M_2 = \sum_i (x_i - \bar x)^2 \) follow Welford's
 * recurrence (Captum's); two summarizers of disjoint streams {@link #merge merge} exactly with Chan
 * et al.'s formula \( \bar x = \bar x_a + \delta\, n_b / n \), \( M_2 = M_{2,a} + M_{2,b} +
 * \delta^2 n_a n_b / n \) (Chan, Golub, LeVeque, "Updating formulae and a pairwise algorithm for
 * computing sample variances", 1979), so partial summaries of partitions reduce to the summary of
 * the whole (up to rounding). Values are accumulated in double precision (Captum keeps the
 * tensor's dtype; tensors are read as float32). Serializable, for distributed reduces; not thread-safe.
 *
 * <pre>{@code
 * Summarizer summarizer = new Summarizer(Stat.commonStats());
 * for (NDArray batch : attributionBatches) {
 *     summarizer.updateRows(batch);
 * }
 * double[] meanAttribution = summarizer.summary(0).get(new Stat.Mean());
 * }</pre>
 */
public class Summarizer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Stat> stats;
    private final List<Moments> perInput = new ArrayList<>();

    /**
     * A summarizer tracking these statistics.
     *
     * @param stats the statistics to report (Captum's {@code stats}); the ones they depend on are
     *     tracked anyway
     */
    public Summarizer(List<Stat> stats) {
        if (stats == null || stats.isEmpty() || stats.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(
                    "stats must be a non-empty list without nulls, got " + stats);
        }
        this.stats = List.copyOf(new java.util.LinkedHashSet<>(stats));
    }

    /**
     * The statistics reported.
     *
     * @return the statistics, without duplicates
     */
    public List<Stat> stats() {
        return stats;
    }

    /**
     * Adds one observation per input (Captum's {@code update}): input {@code i} of every call must
     * have the same shape.
     *
     * @param x the tensors, any numeric type
     * @return this
     */
    public Summarizer update(NDArray... x) {
        checkArity(x.length);
        for (int i = 0; i < x.length; i++) {
            moments(i, x[i].getShape().getShape()).add(floats(x[i]), 0);
        }
        return this;
    }

    /**
     * Adds each row of a batch as one observation per input: all inputs share dimension 0.
     *
     * @param batch the tensors {@code (N, ...)}
     * @return this
     */
    public Summarizer updateRows(NDArray... batch) {
        checkArity(batch.length);
        long rows = batch[0].getShape().get(0);
        for (int i = 0; i < batch.length; i++) {
            long[] shape = batch[i].getShape().getShape();
            if (shape.length == 0 || shape[0] != rows) {
                throw new IllegalArgumentException(
                        "batch["
                                + i
                                + "] must have "
                                + rows
                                + " rows like batch[0], got shape "
                                + Arrays.toString(shape));
            }
            Moments m = moments(i, Arrays.copyOfRange(shape, 1, shape.length));
            float[] values = floats(batch[i]);
            for (int r = 0; r < rows; r++) {
                m.add(values, r * m.size());
            }
        }
        return this;
    }

    /**
     * Adds one observation per input from Java arrays, each of shape {@code (length)}: the row form
     * used by distributed jobs.
     *
     * @param row the values of each input
     * @return this
     */
    public Summarizer updateRow(float[]... row) {
        checkArity(row.length);
        for (int i = 0; i < row.length; i++) {
            moments(i, new long[] {row[i].length}).add(row[i], 0);
        }
        return this;
    }

    /**
     * Merges the summary of a disjoint stream into this one (Chan's formula): afterwards this
     * summarizes both streams.
     *
     * @param other a summarizer of the same statistics and input shapes
     * @return this
     */
    public Summarizer merge(Summarizer other) {
        if (!stats.equals(other.stats)) {
            throw new IllegalArgumentException(
                    "summarizers to merge must track the same stats, got "
                            + stats
                            + " and "
                            + other.stats);
        }
        for (int i = 0; i < other.perInput.size(); i++) {
            if (i < perInput.size()) {
                perInput.get(i).merge(other.perInput.get(i));
            } else {
                perInput.add(other.perInput.get(i).copy());
            }
        }
        return this;
    }

    /**
     * The summaries, one per input.
     *
     * @return snapshots, empty before the first update
     */
    public List<Summary> summary() {
        List<Summary> out = new ArrayList<>(perInput.size());
        for (Moments m : perInput) {
            out.add(new Summary(m, stats));
        }
        return out;
    }

    /**
     * The summary of one input.
     *
     * @param input the input's index
     * @return a snapshot
     */
    public Summary summary(int input) {
        if (input < 0 || input >= perInput.size()) {
            throw new IllegalArgumentException(
                    "input must be in [0, " + perInput.size() + "), got " + input);
        }
        return new Summary(perInput.get(input), stats);
    }

    void checkArity(int n) {
        if (n == 0) {
            throw new IllegalArgumentException("at least one tensor is needed, got none");
        }
        if (!perInput.isEmpty() && n != perInput.size()) {
            throw new IllegalArgumentException(
                    "every update must have "
                            + perInput.size()
                            + " inputs like the first one, got "
                            + n);
        }
    }

    /**
     * Adds one observation of input {@code i} read from {@code values[offset ..]}.
     *
     * @param i the input
     * @param shape the observation's shape
     * @param values the values
     * @param offset where the observation starts
     */
    void add(int i, long[] shape, float[] values, int offset) {
        moments(i, shape).add(values, offset);
    }

    private Moments moments(int i, long[] shape) {
        if (i == perInput.size()) {
            perInput.add(new Moments(shape));
        }
        Moments m = perInput.get(i);
        if (!Arrays.equals(m.shape(), shape)) {
            throw new IllegalArgumentException(
                    "input "
                            + i
                            + " must keep the observation shape "
                            + Arrays.toString(m.shape())
                            + ", got "
                            + Arrays.toString(shape));
        }
        return m;
    }

    static float[] floats(NDArray x) {
        if (x.getDataType() == DataType.FLOAT32) {
            return x.toFloatArray();
        }
        try (NDArray f = x.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }
}
