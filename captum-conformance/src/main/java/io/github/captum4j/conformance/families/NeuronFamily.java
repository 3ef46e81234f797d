package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;

import io.github.captum4j.attr.neuron.NeuronConductance;
import io.github.captum4j.attr.neuron.NeuronFeatureAblation;
import io.github.captum4j.attr.neuron.NeuronGradient;
import io.github.captum4j.attr.neuron.NeuronGradientShap;
import io.github.captum4j.attr.neuron.NeuronIntegratedGradients;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

/**
 * The gradient and perturbation neuron methods, on the Block form and on the TorchScript module
 * exported with taps (see {@link CaseContext#eachLayerForm}): exact cases compared with {@code
 * expected}; NeuronGradientShap by the mean of seeded runs against {@code seed_stats}.
 */
public final class NeuronFamily extends MethodFamily {

    /** Seeded runs averaged by a statistical check. */
    static final int RUNS = 100;

    /** The family of the gradient and perturbation neuron methods' cases. */
    public NeuronFamily() {
        super(
                "neuron",
                "NeuronGradient",
                "NeuronIntegratedGradients",
                "NeuronConductance",
                "NeuronGradientShap",
                "NeuronFeatureAblation");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachLayerForm(
                c,
                (form, model, layer, m) -> {
                    MethodCall call = build(c, model, layer);
                    Inputs in = Checks.inputs(c, m, false);
                    return c.kind() == GoldenCase.Kind.EXACT
                            ? Checks.exact(c, call, in, m)
                            : Checks.seedMean(c, call, in, RUNS, m);
                });
    }

    private static MethodCall build(GoldenCase c, LayerAccess model, LayerPath layer) {
        CaseArgs args = c.attributeArgs();
        boolean multiply = CaptumArgs.multiplyByInputs(c.initArgs());
        boolean toInput = args.bool("attribute_to_neuron_input", false);
        NeuronSelector neuron = CaptumArgs.neuronSelector(args);
        switch (c.method()) {
            case "NeuronGradient":
                {
                    Checks.knownArgs(args, CaptumArgs.neuronArgs());
                    NeuronGradient ng = new NeuronGradient(model, layer);
                    NeuronGradient.Options o = new NeuronGradient.Options(toInput);
                    return (in, t, seed) -> ng.attribute(in, neuron, t, o);
                }
            case "NeuronIntegratedGradients":
                {
                    Checks.knownArgs(
                            args,
                            CaptumArgs.neuronArgs("n_steps", "method", "internal_batch_size"));
                    NeuronIntegratedGradients nig =
                            new NeuronIntegratedGradients(model, layer, multiply);
                    NeuronIntegratedGradients.Options.Builder o =
                            NeuronIntegratedGradients.Options.builder()
                                    .attributeToNeuronInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaptumArgs.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    NeuronIntegratedGradients.Options options = o.build();
                    return (in, t, seed) -> nig.attribute(in, neuron, t, options);
                }
            case "NeuronConductance":
                {
                    Checks.knownArgs(
                            args,
                            CaptumArgs.neuronArgs("n_steps", "method", "internal_batch_size"));
                    NeuronConductance nc = new NeuronConductance(model, layer, multiply);
                    NeuronConductance.Options.Builder o =
                            NeuronConductance.Options.builder().attributeToNeuronInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaptumArgs.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    NeuronConductance.Options options = o.build();
                    return (in, t, seed) -> nc.attribute(in, neuron, t, options);
                }
            case "NeuronGradientShap":
                {
                    Checks.knownArgs(args, CaptumArgs.neuronArgs("n_samples", "stdevs"));
                    NeuronGradientShap ngs = new NeuronGradientShap(model, layer, multiply);
                    NeuronGradientShap.Options.Builder o =
                            NeuronGradientShap.Options.builder().attributeToNeuronInput(toInput);
                    args.integer("n_samples").ifPresent(o::nSamples);
                    args.numbers("stdevs").ifPresent(s -> o.stdevs(Checks.doubles(s)));
                    NeuronGradientShap.Options options = o.build();
                    return (in, t, seed) ->
                            ngs.attribute(in, neuron, t, options.toBuilder().seed(seed).build());
                }
            case "NeuronFeatureAblation":
                {
                    Checks.knownArgs(
                            args, CaptumArgs.neuronArgs("feature_mask", "perturbations_per_eval"));
                    NeuronFeatureAblation nfa = new NeuronFeatureAblation(model, layer);
                    int ppe = args.integer("perturbations_per_eval", 1);
                    return (in, t, seed) ->
                            nfa.attribute(
                                    in,
                                    neuron,
                                    t,
                                    NeuronFeatureAblation.Options.builder()
                                            .featureMask(
                                                    args.tensor("feature_mask", in.manager())
                                                            .map(mask -> new NDArray[] {mask})
                                                            .orElse(null))
                                            .attributeToNeuronInput(toInput)
                                            .perturbationsPerEval(ppe)
                                            .build());
                }
            default:
                throw new IllegalArgumentException(
                        "method must be a neuron method, got " + c.method());
        }
    }
}
