package io.github.captum4j.attr.contract;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.core.approx.ApproximationMethod;

import java.util.List;

/**
 * Every algorithm of the project, each with small valid options, for the contract suite. A new
 * algorithm joins the suite by adding its spec here.
 */
public final class AlgorithmRegistry {

    private AlgorithmRegistry() {}

    /**
     * All registered algorithms.
     *
     * @return the specs
     */
    public static List<AlgorithmSpec> all() {
        IntegratedGradients.Options ig =
                IntegratedGradients.Options.builder()
                        .nSteps(8)
                        .internalBatchSize(6)
                        .returnConvergenceDelta(true)
                        .build();
        return List.of(
                AlgorithmSpec.of(
                                "IntegratedGradients",
                                IntegratedGradients::new,
                                f -> {
                                    IntegratedGradients m = new IntegratedGradients(f);
                                    return (in, t, seed) -> m.attribute(in, t, ig);
                                })
                        .usesBaselines()
                        .returnsDelta(1)
                        .rejects(() -> ig.toBuilder().nSteps(0).build(), "nSteps must be >= 1")
                        .rejects(
                                () -> ig.toBuilder().internalBatchSize(0).build(),
                                "internalBatchSize must be >= 1")
                        .rejects(
                                () ->
                                        ig.toBuilder()
                                                .method(ApproximationMethod.RIEMANN_LEFT)
                                                .nSteps(1)
                                                .build(),
                                "nSteps must be >= 2 for RIEMANN_LEFT")
                        .rejects(
                                () -> ig.toBuilder().method(null).build(),
                                "method must not be null"),
                AlgorithmSpec.of(
                        "Saliency",
                        Saliency::new,
                        f -> {
                            Saliency m = new Saliency(f);
                            return (in, t, seed) -> m.attribute(in, t);
                        }),
                AlgorithmSpec.of(
                        "InputXGradient",
                        InputXGradient::new,
                        f -> {
                            InputXGradient m = new InputXGradient(f);
                            return (in, t, seed) -> m.attribute(in, t);
                        }),
                AlgorithmSpec.of(
                                "GradientShap",
                                GradientShap::new,
                                f -> {
                                    GradientShap m = new GradientShap(f);
                                    GradientShap.Options o =
                                            GradientShap.Options.builder()
                                                    .nSamples(4)
                                                    .stdevs(0.1)
                                                    .returnConvergenceDelta(true)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(in, t, o.toBuilder().seed(seed).build());
                                })
                        .usesBaselines()
                        .stochastic()
                        .returnsDelta(4)
                        .rejects(
                                () -> GradientShap.Options.builder().nSamples(0).build(),
                                "nSamples must be >= 1")
                        .rejects(
                                () -> GradientShap.Options.builder().stdevs(-0.5).build(),
                                "stdevs must be finite and >= 0"),
                AlgorithmSpec.of(
                                "NoiseTunnel(IntegratedGradients)",
                                f -> new NoiseTunnel<>(new IntegratedGradients(f)),
                                f -> {
                                    NoiseTunnel<IntegratedGradients.Options> m =
                                            new NoiseTunnel<>(new IntegratedGradients(f));
                                    NoiseTunnel.Options o =
                                            NoiseTunnel.Options.builder()
                                                    .ntType(NoiseTunnel.Type.SMOOTHGRAD_SQ)
                                                    .ntSamples(3)
                                                    .ntSamplesBatchSize(2)
                                                    .stdevs(0.2)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(
                                                    in, t, o.toBuilder().seed(seed).build(), ig);
                                })
                        .usesBaselines()
                        .stochastic()
                        .returnsDelta(3)
                        .rejects(
                                () -> NoiseTunnel.Options.builder().ntSamples(0).build(),
                                "ntSamples must be >= 1")
                        .rejects(
                                () -> NoiseTunnel.Options.builder().ntSamplesBatchSize(0).build(),
                                "ntSamplesBatchSize must be >= 1"),
                AlgorithmSpec.of(
                                "NoiseTunnel(Saliency)",
                                f -> new NoiseTunnel<>(new Saliency(f)),
                                f -> {
                                    NoiseTunnel<Saliency.Options> m =
                                            new NoiseTunnel<>(new Saliency(f));
                                    NoiseTunnel.Options o =
                                            NoiseTunnel.Options.builder()
                                                    .ntType(NoiseTunnel.Type.VARGRAD)
                                                    .ntSamples(4)
                                                    .build();
                                    return (in, t, seed) ->
                                            m.attribute(in, t, o.toBuilder().seed(seed).build());
                                })
                        .stochastic());
    }
}
