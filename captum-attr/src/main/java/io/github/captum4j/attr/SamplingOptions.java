package io.github.captum4j.attr;

import io.github.captum4j.core.internal.Checks;

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
     * @param <O> the options record
     */
    public abstract static class Builder<B extends Builder<B, O>, O extends Record>
            extends OptionsBuilder<B, O> {

        /**
         * Starts from the values of a record.
         *
         * @param from the options to copy
         */
        protected Builder(O from) {
            super(from);
        }

        /**
         * Sets {@code nSamples}.
         *
         * @param value draws per example
         * @return this
         */
        public B nSamples(int value) {
            return set("nSamples", value);
        }

        /**
         * Sets {@code stdevs}: one value for all inputs, or one per input.
         *
         * @param values standard deviations
         * @return this
         */
        public B stdevs(double... values) {
            return set("stdevs", doubles(values));
        }

        /**
         * Sets {@code seed}.
         *
         * @param value the seed, or {@code null}
         * @return this
         */
        public B seed(Integer value) {
            return set("seed", value);
        }
    }
}
