package io.github.captum4j.metrics.summary;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * A statistic a {@link Summarizer} tracks, element by element over its observations: Captum's
 * {@code Mean}, {@code Var}, {@code StdDev}, {@code Min}, {@code Max}, {@code Sum}, {@code Count}
 * and {@code MSE}, with Captum's names (the keys of {@link Summary#toMap()}).
 *
 * <p>With \( n \) observations \( x_1, \dots, x_n \): mean \( \bar x \), MSE \( M_2 = \sum_i (x_i -
 * \bar x)^2 \) (Welford's recurrence, Chan's formula when two summaries merge), variance of order
 * \( k \) \( M_2 / (n - k) \) (0 while \( n \le k \)), standard deviation its square root.
 *
 * <pre>{@code
 * Summarizer s = new Summarizer(List.of(new Stat.Mean(), new Stat.StdDev(1), new Stat.Max()));
 * }</pre>
 */
public sealed interface Stat extends Serializable {

    /**
     * The statistic's name, Captum's key in a summary. By default the type's name in lower case,
     * Captum's key for the statistics without parameters ({@code mean}, {@code min}, {@code mse},
     * ...); {@link Var} and {@link StdDev} name their order.
     *
     * @return e.g. "mean", "sample_variance"
     */
    default String name() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /**
     * Captum's {@code CommonStats()}: mean, sample variance, sample standard deviation, min, max.
     *
     * @return the five statistics
     */
    static List<Stat> commonStats() {
        return List.of(new Mean(), new Var(1), new StdDev(1), new Min(), new Max());
    }

    /** The element-wise mean. */
    record Mean() implements Stat {}

    /**
     * The element-wise variance \( M_2 / (n - order) \); order 0 is the population variance
     * (Captum's default), 1 the sample variance.
     *
     * @param order the degrees of freedom subtracted, {@code >= 0}
     */
    record Var(int order) implements Stat {
        /**
         * Checks the order.
         *
         * @param order the degrees of freedom subtracted, {@code >= 0}
         */
        public Var {
            checkOrder(order);
        }

        /** The population variance (order 0, Captum's default). */
        public Var() {
            this(0);
        }

        @Override
        public String name() {
            return order == 0 ? "variance" : order == 1 ? "sample_variance" : "variance(" + order + ")";
        }
    }

    /**
     * The element-wise standard deviation, the square root of {@link Var} of the same order.
     *
     * @param order the degrees of freedom subtracted, {@code >= 0}
     */
    record StdDev(int order) implements Stat {
        /**
         * Checks the order.
         *
         * @param order the degrees of freedom subtracted, {@code >= 0}
         */
        public StdDev {
            checkOrder(order);
        }

        /** The population standard deviation (order 0, Captum's default). */
        public StdDev() {
            this(0);
        }

        @Override
        public String name() {
            // Captum's name for orders above 1 has an unbalanced parenthesis: "std_dev2)"; ours is
            // balanced.
            return order == 0 ? "std_dev" : order == 1 ? "sample_std_dev" : "std_dev(" + order + ")";
        }
    }

    /** The element-wise minimum. */
    record Min() implements Stat {}

    /** The element-wise maximum. */
    record Max() implements Stat {}

    /** The element-wise sum. */
    record Sum() implements Stat {}

    /** The number of observations. */
    record Count() implements Stat {}

    /** The element-wise sum of squared deviations from the mean, \( M_2 \). */
    record MSE() implements Stat {}

    private static void checkOrder(int order) {
        if (order < 0) {
            throw new IllegalArgumentException("order must be >= 0, got " + order);
        }
    }
}
