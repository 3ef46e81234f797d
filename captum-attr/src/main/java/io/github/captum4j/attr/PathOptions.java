package io.github.captum4j.attr;

import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.approx.ApproximationMethod;
import io.github.captum4j.core.internal.Checks;

/**
 * The path option group, declared once for every path method's options (Integrated Gradients and
 * its layer and neuron variants, Layer Conductance, Internal Influence, Neuron Conductance):
 * Captum's {@code n_steps}, {@code method} and {@code internal_batch_size}, their one validation
 * (each record declares the components and implements {@link Group}; its generated builder has
 * their setters, and a {@code from(PathOptions.Group)} that copies the group from any other path
 * method's options).
 *
 * <ul>
 *   <li>{@code nSteps}: points of the quadrature along \( x' + \alpha (x - x') \), {@code >= 1}
 *       (Riemann rules need {@code >= 2} points);
 *   <li>{@code method}: the {@link ApproximationMethod} (Gauss-Legendre by default);
 *   <li>{@code internalBatchSize}: at most this many rows per forward pass, or {@code null} for all
 *       steps in one pass; it changes only how the evaluations are split, never the result;
 *   <li>{@code progress}: a {@link ProgressListener} told after every forward + backward pass
 *       (done passes of {@code ceil(points / stepsPerPass)}), e.g. {@link
 *       ProgressListener#console}; {@code null} means {@link ProgressListener#NONE} (the default).
 * </ul>
 */
public final class PathOptions {

    private PathOptions() {}

    /**
     * The listener to use: {@link ProgressListener#NONE} for {@code null}.
     *
     * @param progress the option's value
     * @return a listener, never {@code null}
     */
    public static ProgressListener progress(ProgressListener progress) {
        return progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * Checks the group for a quadrature of {@code nSteps} points.
     *
     * @param nSteps the number of points, {@code >= 1}
     * @param method the quadrature
     * @param internalBatchSize rows per pass, {@code >= 1}, or {@code null}
     * @throws IllegalArgumentException naming the offending option
     */
    public static void check(int nSteps, ApproximationMethod method, Integer internalBatchSize) {
        check(nSteps, 0, method, internalBatchSize);
    }

    /**
     * Checks the group for a method that splits the path into {@code nSteps} segments, so that its
     * quadrature has {@code nSteps + 1} points (Captum's Layer Conductance).
     *
     * @param nSteps the number of segments, {@code >= 1}
     * @param method the quadrature
     * @param internalBatchSize rows per pass, {@code >= 1}, or {@code null}
     * @throws IllegalArgumentException naming the offending option
     */
    public static void checkSegments(
            int nSteps, ApproximationMethod method, Integer internalBatchSize) {
        check(nSteps, 1, method, internalBatchSize);
    }

    private static void check(
            int nSteps, int extraPoints, ApproximationMethod method, Integer internalBatchSize) {
        Checks.atLeast(nSteps, 1, "nSteps");
        Checks.notNull(method, "method");
        Checks.argument(
                internalBatchSize == null || internalBatchSize >= 1,
                "internalBatchSize must be >= 1 or null, got %s",
                internalBatchSize);
        // Bounds (Gauss-Legendre's work, points within the heap) and Riemann's >= 2 points,
        // checked without computing the rule.
        method.check((int) Math.min(Integer.MAX_VALUE, (long) nSteps + extraPoints));
    }

    /**
     * The path group's setters, which every path method's generated options builder has; code
     * that reads path arguments for any path method (e.g. from Captum's keyword names) fills any
     * of them through this interface.
     *
     * @param <B> the concrete builder
     */
    public interface Builder<B extends Builder<B>> {

        /**
         * Sets {@code nSteps}.
         *
         * @param nSteps quadrature steps, at least 1
         * @return this
         */
        B nSteps(int nSteps);

        /**
         * Sets {@code method}.
         *
         * @param method the quadrature rule
         * @return this
         */
        B method(ApproximationMethod method);

        /**
         * Sets {@code internalBatchSize}.
         *
         * @param internalBatchSize path rows per forward + backward pass, or null for all at once
         * @return this
         */
        B internalBatchSize(Integer internalBatchSize);
    }

    /**
     * The group's components, as every path method's options record declares them (the record's
     * accessors implement this interface): one call of a path method reads its quadrature, pass
     * size and listener from it, and a method that runs another path method copies the group with
     * the other options' generated {@code from(PathOptions.Group)}.
     */
    public interface Group {
        /**
         * Points of the quadrature (segments, for Layer Conductance).
         *
         * @return {@code nSteps}
         */
        int nSteps();

        /**
         * The quadrature.
         *
         * @return {@code method}
         */
        ApproximationMethod method();

        /**
         * Rows per pass.
         *
         * @return {@code internalBatchSize}, or {@code null}
         */
        Integer internalBatchSize();

        /**
         * The listener.
         *
         * @return {@code progress}
         */
        ProgressListener progress();
    }
}
