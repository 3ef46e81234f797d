package io.github.captum4j.core.approx;

/** Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on the Legendre polynomial. */
final class GaussLegendre {

    private static final int MAX_NEWTON_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-15;

    private GaussLegendre() {}

    /**
     * Fills {@code nodes} (ascending) and {@code weights} with the n-point rule, n = nodes.length.
     */
    static void nodes(int n, double[] nodes, double[] weights) {
        for (int i = 0; i < (n + 1) / 2; i++) {
            // Tricomi's initial guess for the i-th largest root, then Newton.
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iter = 0; iter < MAX_NEWTON_ITERATIONS; iter++) {
                double[] pd = legendre(n, x);
                derivative = pd[1];
                double dx = pd[0] / derivative;
                x -= dx;
                if (Math.abs(dx) < TOLERANCE) {
                    derivative = legendre(n, x)[1];
                    break;
                }
            }
            double w = 2.0 / ((1 - x * x) * derivative * derivative);
            nodes[n - 1 - i] = x;
            nodes[i] = -x;
            weights[n - 1 - i] = w;
            weights[i] = w;
        }
        if (n % 2 == 1) {
            nodes[n / 2] = 0.0;
        }
    }

    /** P_n(x) and P_n'(x) by the three-term recurrence. */
    private static double[] legendre(int n, double x) {
        double p0 = 1;
        double p1 = x;
        if (n == 0) {
            return new double[] {1, 0};
        }
        for (int k = 2; k <= n; k++) {
            double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        double d = n * (x * p1 - p0) / (x * x - 1);
        return new double[] {p1, d};
    }
}
