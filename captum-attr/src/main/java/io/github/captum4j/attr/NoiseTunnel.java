package io.github.captum4j.attr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.MethodInfo;
import io.github.captum4j.core.ProgressListener;
import io.github.captum4j.core.Provenance;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.AttributionFrame;
import io.github.captum4j.core.internal.BaselineExpansion;
import io.github.captum4j.core.internal.Checks;
import io.github.captum4j.core.internal.Expansion;
import io.github.captum4j.core.internal.Randomness;
import io.github.captum4j.core.internal.RunningSum;

import org.immutables.value.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * NoiseTunnel: any attribution method averaged over noisy copies of the input, \( x_s = x +
 * \epsilon_s,\ \epsilon_s \sim \mathcal{N}(0, \sigma^2) \), for \( s = 1..S \) ({@code ntSamples}):
 *
 * <ul>
 *   <li>{@link Type#SMOOTHGRAD}: \( \frac{1}{S} \sum_s A(x_s) \) (Smilkov et al., "SmoothGrad",
 *       2017, <a href="https://arxiv.org/abs/1706.03825">arXiv:1706.03825</a>);
 *   <li>{@link Type#SMOOTHGRAD_SQ}: \( \frac{1}{S} \sum_s A(x_s)^2 \);
 *   <li>{@link Type#VARGRAD}: \( \frac{1}{S} \sum_s A(x_s)^2 - \big(\frac{1}{S} \sum_s
 *       A(x_s)\big)^2 \) (Adebayo et al., 2018, <a
 *       href="https://arxiv.org/abs/1810.03307">arXiv:1810.03307</a>).
 * </ul>
 *
 * <p>The wrapped method is called with its own typed options on batches of {@code N ×
 * ntSamplesBatchSize} noisy rows (each example's copies together); per-example targets, additional
 * arguments and baselines of batch size {@code N} are expanded alike. With {@code
 * drawBaselineFromDistrib} each noisy row gets a baseline drawn from {@link
 * Baselines#distribution}. The convergence delta, if the wrapped method returns one, has one entry
 * per noisy row.
 *
 * <p>{@code ntSamplesBatchSize} is NoiseTunnel's internal batch size, under Captum's name (an
 * {@code internalBatchSize} in the wrapped method's options splits each batch further): memory
 * stays flat as {@code ntSamples} grows, since each batch draws its own noise (seed derived from
 * the call's seed and the batch's index) and only running sums are kept. A batched call therefore
 * draws other noise than an unbatched one, as in Captum: equal in distribution, not in value.
 *
 * <pre>{@code
 * NoiseTunnel<IntegratedGradients.Options> nt = new NoiseTunnel<>(new IntegratedGradients(model));
 * NoiseTunnel.Options smooth = NoiseTunnel.Options.builder()
 *         .ntType(NoiseTunnel.Type.SMOOTHGRAD_SQ).ntSamples(10).stdevs(0.2).seed(0).build();
 * try (Attribution a = nt.attribute(Inputs.of(x), Target.index(3), smooth,
 *         IntegratedGradients.Options.builder().nSteps(10).build())) { ... }
 * }</pre>
 *
 * <p>Noise is drawn from libtorch's generator input by input, as Captum does: with {@code seed} set
 * (and one batch of samples, the default) the result equals Captum's after {@code
 * torch.manual_seed(seed)}.
 *
 * @param <O> the wrapped method's options
 */
@Value.Enclosing
public final class NoiseTunnel<O extends Record> implements AttributionMethod<NoiseTunnel.Options> {

    private final AttributionMethod<O> method;
    private final MethodInfo<Options> info;

    /**
     * Wraps an attribution method.
     *
     * @param method the method to smooth
     */
    public NoiseTunnel(AttributionMethod<O> method) {
        this.method = Checks.notNull(method, "method");
        // the wrapped method's flags; the inputs must be floating-point to take noise
        this.info =
                method.info()
                        .derived("NoiseTunnel(" + method.name() + ")", Options.DEFAULTS)
                        .withFloatingInputsOnly();
    }

    /** How the samples are combined (Captum's {@code nt_type}). */
    public enum Type {
        /** Mean of the attributions. */
        SMOOTHGRAD,
        /** Mean of the squared attributions. */
        SMOOTHGRAD_SQ,
        /** Variance of the attributions. */
        VARGRAD
    }

    /**
     * How one call runs, with Captum's names and defaults.
     *
     * @param ntType how samples are combined (default SMOOTHGRAD)
     * @param ntSamples noisy samples per example, {@code >= 1} (default 5)
     * @param ntSamplesBatchSize samples per call of the wrapped method, or {@code null} for all at
     *     once (default)
     * @param stdevs the noise's standard deviation: one value, or one per input (default 1.0)
     * @param drawBaselineFromDistrib whether to draw each sample's baseline from a baseline
     *     distribution (default false)
     * @param seed libtorch seed for the draws, or {@code null} to draw from the generator's current
     *     state (default)
     * @param progress told after every call of the wrapped method, i.e. per batch of {@code
     *     ntSamplesBatchSize} noisy samples ({@code ceil(ntSamples / ntSamplesBatchSize)} in all;
     *     one with the default batch size) (default {@link ProgressListener#NONE})
     */
    @Value.Builder
    public record Options(
            Type ntType,
            int ntSamples,
            Integer ntSamplesBatchSize,
            List<Double> stdevs,
            boolean drawBaselineFromDistrib,
            Integer seed,
            ProgressListener progress) {

        /** Captum's defaults. */
        public static final Options DEFAULTS =
                new Options(
                        Type.SMOOTHGRAD, 5, null, List.of(1.0), false, null, ProgressListener.NONE);

        /**
         * Validates every component.
         *
         * @param ntType how samples are combined (default SMOOTHGRAD)
         * @param ntSamples noisy samples per example, {@code >= 1} (default 5)
         * @param ntSamplesBatchSize samples per call of the wrapped method, or {@code null} for all
         *     at once (default)
         * @param stdevs the noise's standard deviation: one value, or one per input (default 1.0)
         * @param drawBaselineFromDistrib whether to draw each sample's baseline from a baseline
         *     distribution (default false)
         * @param seed libtorch seed for the draws, or {@code null} to draw from the generator's
         *     current state (default)
         * @param progress told after every call of the wrapped method (default {@link
         *     ProgressListener#NONE})
         */
        public Options {
            progress = PathOptions.progress(progress);
            Checks.notNull(ntType, "ntType");
            Checks.atLeast(ntSamples, 1, "ntSamples");
            Checks.argument(
                    ntSamplesBatchSize == null || ntSamplesBatchSize >= 1,
                    "ntSamplesBatchSize must be >= 1 or null, got %s",
                    ntSamplesBatchSize);
            stdevs = NoiseSampling.checkStdevs(stdevs);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends NoiseTunnelBuilders.OptionsBuilder {
            Builder() {}

            /**
             * Sets {@code stdevs}: one value for all inputs, or one per input.
             *
             * @param values standard deviations
             * @return this
             */
            public Builder stdevs(double... values) {
                return stdevs(DoubleStream.of(values).boxed().toList());
            }
        }
    }

    /**
     * Smooths the wrapped method run with its default options.
     *
     * <p>{@inheritDoc}
     */
    @Override
    public Attribution attribute(Inputs inputs, Target target, Options options) {
        return attribute(inputs, target, options, method.defaultOptions());
    }

    /**
     * Smooths the wrapped method run with the given options.
     *
     * @param inputs the inputs, baselines and additional forward arguments
     * @param target which output to explain
     * @param options how the noise is drawn and combined
     * @param methodOptions the wrapped method's options
     * @return one attribution per input, and the wrapped method's delta per noisy row if it
     *     returned one
     */
    public Attribution attribute(Inputs inputs, Target target, Options options, O methodOptions) {
        Provenance inner =
                Provenance.of(
                        method.info(), Checks.notNull(methodOptions, "methodOptions"), target);
        return AttributionFrame.run(
                Provenance.of(info, options, target).wrapping(inner),
                inputs,
                scratch -> smooth(inputs, target, options, methodOptions, scratch));
    }

    private AttributionFrame.Result smooth(
            Inputs inputs, Target target, Options options, O methodOptions, NDManager scratch) {
        double[] stdevs = NoiseSampling.perInput(options.stdevs(), inputs.size());
        int perBatch =
                options.ntSamplesBatchSize() == null
                        ? options.ntSamples()
                        : Math.min(options.ntSamples(), options.ntSamplesBatchSize());
        NDList x = inputs.tensors();
        NDList distribution = null;
        if (options.drawBaselineFromDistrib()) {
            distribution = BaselineExpansion.distribution(inputs.baselines(), x, scratch);
        } else if (method.usesBaselines()) {
            // Checked against the caller's shapes, not the noisy batch's.
            BaselineExpansion.expand(inputs.baselines(), x, scratch);
        }
        RunningSum sum = new RunningSum(scratch);
        RunningSum sumSq = new RunningSum(scratch);
        List<NDArray> deltas = new ArrayList<>();
        int partition = 0;
        long total = (options.ntSamples() + perBatch - 1) / perBatch;
        for (int done = 0; done < options.ntSamples(); done += perBatch, partition++) {
            int copies = Math.min(perBatch, options.ntSamples() - done);
            try (NDManager pass = scratch.newSubManager()) {
                Inputs noisy =
                        noisyInputs(
                                inputs, x, distribution, stdevs, copies, options, partition, pass);
                Target t = Expansion.expand(target, copies, Expansion.Layout.REPEAT_INTERLEAVE);
                try (Attribution a = method.attribute(noisy, t, methodOptions)) {
                    NDList s = new NDList();
                    NDList sq = new NDList();
                    for (NDArray attr : a.attributions()) {
                        s.add(NoiseSampling.sumOverCopies(attr, copies));
                        sq.add(NoiseSampling.sumOverCopies(attr.square(), copies));
                    }
                    sum.add(s);
                    sumSq.add(sq);
                    a.convergenceDelta()
                            .ifPresent(
                                    d -> {
                                        NDArray kept = d.duplicate();
                                        kept.attach(scratch);
                                        deltas.add(kept);
                                    });
                }
            }
            options.progress().onProgress(info.name(), partition + 1L, total);
        }
        NDList result = combine(sum.total(), sumSq.total(), options);
        NDArray delta = deltas.isEmpty() ? null : concat(deltas);
        return new AttributionFrame.Result(result, delta);
    }

    private static Inputs noisyInputs(
            Inputs inputs,
            NDList x,
            NDList distribution,
            double[] stdevs,
            int copies,
            Options options,
            int partition,
            NDManager pass) {
        long rows = (long) inputs.batchSize() * copies;
        NDList[] drawn =
                Randomness.draw(
                        partition == 0
                                ? options.seed()
                                : Randomness.derive(options.seed(), partition),
                        () -> {
                            // Captum draws the baselines before the noise.
                            NDList b =
                                    distribution == null
                                            ? null
                                            : NoiseSampling.drawRows(distribution, rows, pass);
                            return new NDList[] {NoiseSampling.noisy(x, stdevs, copies, pass), b};
                        });
        Baselines baselines =
                drawn[1] != null
                        ? Baselines.tensors(drawn[1])
                        : Expansion.expandBaselines(
                                inputs.baselines(),
                                copies,
                                // Captum: tensors whose dimension 0 is the batch (batch > 1)
                                (i, v) ->
                                        v.getShape().dimension() > 0
                                                && v.getShape().get(0) == inputs.batchSize()
                                                && inputs.batchSize() > 1);
        return Inputs.of(drawn[0])
                .withBaselines(baselines)
                .withAdditionalArgs(
                        Expansion.expandArgs(
                                inputs.additionalArgs(),
                                inputs.batchSize(),
                                copies,
                                Expansion.Layout.REPEAT_INTERLEAVE));
    }

    private static NDList combine(NDList sum, NDList sumSq, Options options) {
        float n = options.ntSamples();
        NDList out = new NDList(sum.size());
        for (int i = 0; i < sum.size(); i++) {
            NDArray mean = sum.get(i).div(n);
            NDArray meanSq = sumSq.get(i).div(n);
            switch (options.ntType()) {
                case SMOOTHGRAD:
                    out.add(mean);
                    break;
                case SMOOTHGRAD_SQ:
                    out.add(meanSq);
                    break;
                default:
                    out.add(meanSq.sub(mean.mul(mean)));
                    break;
            }
        }
        return out;
    }

    private static NDArray concat(List<NDArray> parts) {
        NDArray out = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            out = out.concat(parts.get(i), 0);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public MethodInfo<Options> info() {
        return info;
    }
}
