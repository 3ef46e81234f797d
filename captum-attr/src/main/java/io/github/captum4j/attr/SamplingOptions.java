package io.github.captum4j.attr;

import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.internal.Checks;

import java.util.List;
import java.util.stream.DoubleStream;

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
 *       state;
 *   <li>{@code internalBatchSize}: rows per forward + backward pass ({@code max(1,
 *       internalBatchSize / N)} draws of every example per pass), or {@code null} for all {@code
 *       N·nSamples} rows in one pass; every draw's numbers are fixed before the passes ({@link
 *       GradientShapPasses}), so it never changes the result (beyond Captum: issue #1350);
 *   <li>{@code progress}: a {@link ProgressListener} told after every pass (done passes of {@code
 *       ceil(nSamples / drawsPerPass)}); {@code null} means {@link ProgressListener#NONE}.
 * </ul>
 */
public final class SamplingOptions {

    private SamplingOptions() {}

    /**
     * The group's components, as the options records of the family declare them (a record's
     * accessors implement this interface); {@link GradientShapPasses} reads a call's draws from it.
     */
    public interface Group {
        /**
         * Draws per example.
         *
         * @return {@code nSamples}
         */
        int nSamples();

        /**
         * Noise per input.
         *
         * @return {@code stdevs}
         */
        List<Double> stdevs();

        /**
         * The seed.
         *
         * @return {@code seed}, or {@code null}
         */
        Integer seed();

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
     * Checks the group with its pass size.
     *
     * @param nSamples draws per example, {@code >= 1}
     * @param stdevs one standard deviation, or one per input
     * @param internalBatchSize rows per pass, {@code >= 1}, or {@code null}
     * @return an immutable copy of {@code stdevs}
     * @throws IllegalArgumentException naming the offending option
     */
    public static List<Double> check(int nSamples, List<Double> stdevs, Integer internalBatchSize) {
        Checks.argument(
                internalBatchSize == null || internalBatchSize >= 1,
                "internalBatchSize must be >= 1 or null, got %s",
                internalBatchSize);
        return check(nSamples, stdevs);
    }

    /**
     * The setters of the group, which the family's generated options builders implement, and
     * {@code stdevs} from numbers.
     *
     * @param <B> the concrete builder
     * @param <O> the options record
     */
    public interface Builder<B extends Builder<B, O>, O> {

        /**
         * Sets {@code nSamples}.
         *
         * @param nSamples draws per example
         * @return this
         */
        B nSamples(int nSamples);

        /**
         * Sets {@code stdevs}.
         *
         * @param stdevs one standard deviation for all inputs, or one per input
         * @return this
         */
        B stdevs(List<Double> stdevs);

        /**
         * Sets {@code stdevs}: one value for all inputs, or one per input.
         *
         * @param values standard deviations
         * @return this
         */
        default B stdevs(double... values) {
            return stdevs(DoubleStream.of(values).boxed().toList());
        }

        /**
         * Sets {@code seed}.
         *
         * @param seed the seed, or {@code null}
         * @return this
         */
        B seed(Integer seed);

        /**
         * Sets {@code internalBatchSize}.
         *
         * @param internalBatchSize rows per pass, or {@code null} for one pass
         * @return this
         */
        B internalBatchSize(Integer internalBatchSize);

        /**
         * Sets {@code progress}.
         *
         * @param progress the listener, or {@code null} for none
         * @return this
         */
        B progress(ProgressListener progress);

        /**
         * Builds the options, validating them.
         *
         * @return the options
         */
        O build();
    }
}
