package io.github.captum4j.core.approx;

import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Sizes;

/**
 * How a path integral over \( \alpha \in [0, 1] \) is approximated by {@code nSteps} gradient
 * evaluations (Captum's {@code method} argument), with Captum's exact points and step sizes.
 *
 * <ul>
 *   <li>Riemann sums with \( n \ge 2 \) equal steps \( 1/n \): left \( \alpha_k = k/n \), right \(
 *       \alpha_k = (k+1)/n \), middle \( \alpha_k = (k + 1/2)/n \), for \( k = 0..n-1 \) (points
 *       rounded to float32 as {@code torch.linspace} gives them).
 *   <li>Trapezoid: \( \alpha_k = k/(n-1) \) with Captum's weights \( 1/n \), halved at both ends
 *       (they sum to \( (n-1)/n \), as in Captum).
 *   <li>Gauss-Legendre: the \( n \)-point Legendre nodes \( t_k \) and weights \( v_k \) on [-1, 1]
 *       mapped to [0, 1]: \( \alpha_k = (t_k + 1)/2 \), \( w_k = v_k / 2 \) (exact for polynomials
 *       of degree \( 2n - 1 \); Captum's default).
 * </ul>
 */
public enum ApproximationMethod {
    /** Left Riemann sum ({@code riemann_left}). */
    RIEMANN_LEFT,
    /** Right Riemann sum ({@code riemann_right}). */
    RIEMANN_RIGHT,
    /** Midpoint Riemann sum ({@code riemann_middle}). */
    RIEMANN_MIDDLE,
    /** Trapezoid rule ({@code riemann_trapezoid}). */
    RIEMANN_TRAPEZOID,
    /** Gauss-Legendre quadrature ({@code gausslegendre}), Captum's default. */
    GAUSS_LEGENDRE;

    /**
     * Largest {@code nSteps} for {@link #GAUSS_LEGENDRE}: Newton on the Legendre recurrence costs
     * {@code O(nSteps)} per node, {@code O(nSteps^2)} in all (10,000 nodes take about a second).
     */
    public static final int MAX_GAUSS_LEGENDRE_STEPS = 10_000;

    /**
     * Checks {@code nSteps} for this rule without computing it: {@code >= 1} ({@code >= 2} for the
     * Riemann rules), at most {@link #MAX_GAUSS_LEGENDRE_STEPS} for Gauss-Legendre, and points and
     * weights that fit the heap.
     *
     * @param nSteps number of points
     * @throws IllegalArgumentException naming {@code nSteps} and the estimate otherwise
     */
    public void check(int nSteps) {
        Checks.atLeast(nSteps, 1, "nSteps");
        if (this == GAUSS_LEGENDRE) {
            Checks.argument(
                    nSteps <= MAX_GAUSS_LEGENDRE_STEPS,
                    "nSteps must be <= %s for GAUSS_LEGENDRE, got %s: its nodes take about %s"
                            + " recurrence steps (O(nSteps^2)); use a Riemann rule for more steps",
                    MAX_GAUSS_LEGENDRE_STEPS,
                    nSteps,
                    (long) nSteps * nSteps * 2);
        } else {
            Checks.argument(nSteps >= 2, "nSteps must be >= 2 for %s, got %s", this, nSteps);
        }
        Sizes.memory("nSteps", 2L * nSteps, Double.BYTES);
    }

    /**
     * The quadrature rule with {@code nSteps} points.
     *
     * @param nSteps number of points, {@code >= 1} ({@code >= 2} for the Riemann rules, as in
     *     Captum)
     * @return the rule
     */
    public Quadrature quadrature(int nSteps) {
        check(nSteps);
        double[] alphas = new double[nSteps];
        double[] weights = new double[nSteps];
        switch (this) {
            case GAUSS_LEGENDRE:
                GaussLegendre.nodes(nSteps, alphas, weights);
                for (int k = 0; k < nSteps; k++) {
                    alphas[k] = 0.5 * (alphas[k] + 1);
                    weights[k] = 0.5 * weights[k];
                }
                break;
            default:
                // Captum: n equal steps 1/n (the trapezoid halves both ends, so its weights
                // sum to (n-1)/n), alphas from torch.linspace in float32.
                java.util.Arrays.fill(weights, 1.0 / nSteps);
                if (this == RIEMANN_TRAPEZOID) {
                    weights[0] /= 2;
                    weights[nSteps - 1] /= 2;
                    linspaceFloat32(alphas, 0, 1);
                } else if (this == RIEMANN_LEFT) {
                    linspaceFloat32(alphas, 0, 1 - 1.0 / nSteps);
                } else if (this == RIEMANN_MIDDLE) {
                    linspaceFloat32(alphas, 1.0 / (2 * nSteps), 1 - 1.0 / (2 * nSteps));
                } else {
                    linspaceFloat32(alphas, 1.0 / nSteps, 1);
                }
                break;
        }
        return new Quadrature(alphas, weights);
    }

    /**
     * {@code torch.linspace(start, stop, n)} in float32, as libtorch computes it: a float step, the
     * first half counted up from start and the second half down from stop.
     */
    private static void linspaceFloat32(double[] out, double start, double stop) {
        int n = out.length;
        float s = (float) start;
        float e = (float) stop;
        float step = (e - s) / (float) (n - 1);
        int halfway = n / 2;
        for (int k = 0; k < n; k++) {
            out[k] = k < halfway ? s + step * k : e - step * (n - k - 1);
        }
    }
}
