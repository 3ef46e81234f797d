package io.github.captum4j.core.approx;

import io.github.captum4j.core.internal.Checks;

/**
 * A quadrature rule on [0, 1]: the points \( \alpha_k \) at which a path method evaluates the
 * gradient and the weights \( w_k \) of each evaluation, so that \( \int_0^1 g(\alpha)\,d\alpha
 * \approx \sum_k w_k\, g(\alpha_k) \). Captum calls the weights "step sizes".
 *
 * @param alphas the evaluation points, in increasing order
 * @param weights the weights, one per point
 */
public record Quadrature(double[] alphas, double[] weights) {

    /**
     * Validates that alphas and weights have the same, non-zero length.
     *
     * @param alphas the evaluation points, in increasing order
     * @param weights the weights, one per point
     */
    public Quadrature {
        Checks.notNull(alphas, "alphas");
        Checks.notNull(weights, "weights");
        Checks.argument(
                alphas.length == weights.length && alphas.length > 0,
                "alphas and weights must have the same non-zero length, got %s and %s",
                alphas.length,
                weights.length);
        alphas = alphas.clone();
        weights = weights.clone();
    }

    /**
     * Number of evaluation points.
     *
     * @return the count
     */
    public int size() {
        return alphas.length;
    }

    /**
     * The rule restricted to points {@code [from, to)}, as used when steps are evaluated in
     * batches.
     *
     * @param from first point, inclusive
     * @param to last point, exclusive
     * @return the sub-rule
     */
    public Quadrature slice(int from, int to) {
        Checks.argument(
                from >= 0 && from < to && to <= alphas.length,
                "slice must satisfy 0 <= from < to <= %s, got [%s, %s)",
                alphas.length,
                from,
                to);
        return new Quadrature(
                java.util.Arrays.copyOfRange(alphas, from, to),
                java.util.Arrays.copyOfRange(weights, from, to));
    }

    @Override
    public double[] alphas() {
        return alphas.clone();
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /**
     * The alpha of one point.
     *
     * @param k the point's index
     * @return \( \alpha_k \)
     */
    public double alpha(int k) {
        return alphas[k];
    }

    /**
     * The weight of one point.
     *
     * @param k the point's index
     * @return \( w_k \)
     */
    public double weight(int k) {
        return weights[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quadrature
                && java.util.Arrays.equals(alphas, ((Quadrature) o).alphas)
                && java.util.Arrays.equals(weights, ((Quadrature) o).weights);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(alphas) + java.util.Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "Quadrature[n=" + alphas.length + "]";
    }
}
