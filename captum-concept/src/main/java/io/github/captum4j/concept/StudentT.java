package io.github.captum4j.concept;

/**
 * Student's two-sample t-test with pooled variance (scipy's {@code ttest_ind}), two-sided. Not API.
 */
final class StudentT {

    private StudentT() {}

    /** Returns {t, p}. Both samples constant: p = 1 if their means are equal, else 0. */
    static double[] test(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double m1 = mean(a);
        double m2 = mean(b);
        double ss = sumSq(a, m1) + sumSq(b, m2);
        int df = n1 + n2 - 2;
        double pooled = ss / df;
        double se = Math.sqrt(pooled * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return m1 == m2
                    ? new double[] {0, 1}
                    : new double[] {Math.copySign(Double.POSITIVE_INFINITY, m1 - m2), 0};
        }
        double t = (m1 - m2) / se;
        double p = regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
        return new double[] {t, Math.min(1, Math.max(0, p))};
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sumSq(double[] x, double m) {
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s;
    }

    /** I_x(a, b) by the continued fraction (modified Lentz), with the symmetry for x > (a+1)/(a+b+2). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double lnFront =
                logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - Math.exp(lnFront) * continuedFraction(1 - x, b, a) / b;
        }
        return Math.exp(lnFront) * continuedFraction(x, a, b) / a;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 500; m++) {
            double m2 = 2.0 * m;
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + num / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
    static double logGamma(double x) {
        double[] g = {
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7
        };
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double sum = g[0];
        for (int i = 1; i < g.length; i++) {
            sum += g[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
