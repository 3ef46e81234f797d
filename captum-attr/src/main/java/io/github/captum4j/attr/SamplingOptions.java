package io.github.captum4j.attr;

import io.github.captum4j.core.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * The sampling option group, declared once for the GradientShap family's options (GradientShap,
 * Layer GradientShap, Neuron GradientShap): Captum's {@code n_samples} and {@code stdevs} with the
 * call's {@code seed}, their one validation and the builder setters they share.
 *
 * <ul>
 *   <li>{@code nSamples}: draws per example, {@code >= 1};
 *   <li>{@code stdevs}: standard deviation of the Gaussian input noise, one value for all inputs or
 *       one per input, each finite and {@code >= 0};
 *   <li>{@code seed}: libtorch seed for the draws, or {@code null} to continue from the generator's
 *       state.
 * </ul>
 */
public final class SamplingOptions {

    private SamplingOptions() {}

    /**
     * Checks the group.
     *
     * @param nSamples draws per example, {@code >= 1}
     * @param stdevs one standard deviation, or one per input
     * @return an immutable copy of {@code stdevs}
     * @throws IllegalArgumentException naming the offending option
     */
    public static List<Double> check(int nSamples, List<Double> stdevs) {
        Checks.atLeast(nSamples, 1, "nSamples");
        return NoiseSampling.checkStdevs(stdevs);
    }

    /**
     * The setters of the group, shared by the sampling methods' options builders.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Builder<B extends Builder<B>> {

        private int nSamples;
        private List<Double> stdevs;
        private Integer seed;

        /**
         * Starts from given values.
         *
         * @param nSamples draws per example
         * @param stdevs standard deviations
         * @param seed the seed, or {@code null}
         */
        protected Builder(int nSamples, List<Double> stdevs, Integer seed) {
            this.nSamples = nSamples;
            this.stdevs = stdevs;
            this.seed = seed;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * Sets {@code nSamples}.
         *
         * @param value draws per example
         * @return this
         */
        public B nSamples(int value) {
            nSamples = value;
            return self();
        }

        /**
         * Sets {@code stdevs}: one value for all inputs, or one per input.
         *
         * @param values standard deviations
         * @return this
         */
        public B stdevs(double... values) {
            List<Double> list = new ArrayList<>(values.length);
            for (double v : values) {
                list.add(v);
            }
            stdevs = list;
            return self();
        }

        /**
         * Sets {@code seed}.
         *
         * @param value the seed, or {@code null}
         * @return this
         */
        public B seed(Integer value) {
            seed = value;
            return self();
        }

        /**
         * The value set for {@code nSamples}.
         *
         * @return the value
         */
        protected final int currentNSamples() {
            return nSamples;
        }

        /**
         * The values set for {@code stdevs}.
         *
         * @return the values
         */
        protected final List<Double> currentStdevs() {
            return stdevs;
        }

        /**
         * The value set for {@code seed}.
         *
         * @return the value
         */
        protected final Integer currentSeed() {
            return seed;
        }
    }
}
