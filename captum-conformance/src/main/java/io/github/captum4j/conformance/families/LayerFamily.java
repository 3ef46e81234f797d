package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.captum4j.attr.layer.InternalInfluence;
import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.layer.LayerActivation;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerFeatureAblation;
import io.github.captum4j.attr.layer.LayerFeaturePermutation;
import io.github.captum4j.attr.layer.LayerGradCam;
import io.github.captum4j.attr.layer.LayerGradientShap;
import io.github.captum4j.attr.layer.LayerGradientXActivation;
import io.github.captum4j.attr.layer.LayerIntegratedGradients;
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
import io.github.captum4j.conformance.check.Properties;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.Gradients;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;

import java.util.List;
import java.util.Set;

/**
 * The gradient and perturbation layer and neuron methods, on the Block form and on the TorchScript
 * module exported with taps (see {@link CaseContext#eachLayerForm}). Exact cases are compared with
 * {@code expected} (attributions, delta, and GradCAM's {@code interpolated_nearest} / {@code
 * interpolated_bilinear}, any {@code interpolated_<mode>}); LayerGradientShap, NeuronGradientShap
 * and LayerFeaturePermutation by the mean of seeded runs against {@code seed_stats} and {@code
 * expected_value_over_permutations}.
 */
public final class LayerFamily extends MethodFamily {

    /** Seeded runs averaged by a statistical check. */
    static final int RUNS = 100;

    /** The family of the gradient and perturbation layer and neuron methods' cases. */
    public LayerFamily() {
        super(
                "layer_neuron",
                "LayerActivation",
                "LayerGradientXActivation",
                "LayerConductance",
                "InternalInfluence",
                "LayerIntegratedGradients",
                "LayerGradCam",
                "LayerGradientShap",
                "LayerFeatureAblation",
                "LayerFeaturePermutation",
                "NeuronGradient",
                "NeuronIntegratedGradients",
                "NeuronConductance",
                "NeuronGradientShap",
                "NeuronFeatureAblation");
    }

    @Override
    public Set<String> properties() {
        return Set.of("seed_stats", Properties.OVER_PERMUTATIONS, Properties.CAPTUM_TEST_EXPECTED);
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachLayerForm(
                c,
                (form, model, layer, m) -> {
                    MethodCall call =
                            c.method().startsWith("Neuron")
                                    ? neuron(c, model, layer)
                                    : build(c, model, layer);
                    Inputs in = Checks.inputs(c, m, false);
                    return c.kind() == GoldenCase.Kind.EXACT
                            ? Checks.exact(c, call, in, m, (v, a) -> interpolations(v, c, a, m))
                            : Checks.seedMean(c, call, in, RUNS, m);
                });
    }

    /** GradCAM's upsampled maps ({@code interpolated_<mode>}), where the case records them. */
    private static void interpolations(Verdict v, GoldenCase c, Attribution a, NDManager m) {
        for (Interpolation mode : Interpolation.values()) {
            String key = "interpolated_" + CaptumArgs.interpolationName(mode).replace('-', '_');
            if (c.has(key)) {
                NDArray wanted = c.tensor(key, m);
                long[] size = wanted.getShape().slice(2).getShape();
                NDArray up = LayerAttribution.interpolate(a.attribution(0), size, mode);
                v.compare(key, c.tolerance().check(up, wanted));
            }
        }
    }

    private static MethodCall build(GoldenCase c, LayerAccess model, LayerPath layer) {
        CaseArgs args = c.attributeArgs();
        boolean multiply = CaptumArgs.multiplyByInputs(c.initArgs());
        boolean toInput = args.bool("attribute_to_layer_input", false);
        switch (c.method()) {
            case "LayerActivation":
                {
                    Checks.knownArgs(args, CaptumArgs.layerArgs());
                    LayerActivation la = new LayerActivation(model, layer);
                    LayerActivation.Options o = new LayerActivation.Options(toInput);
                    return (in, t, seed) -> la.attribute(in, t, o);
                }
            case "LayerGradientXActivation":
                {
                    Checks.knownArgs(args, CaptumArgs.layerArgs());
                    LayerGradientXActivation lga =
                            new LayerGradientXActivation(model, List.of(layer), multiply);
                    LayerGradientXActivation.Options o =
                            new LayerGradientXActivation.Options(toInput);
                    return (in, t, seed) -> lga.attribute(in, t, o);
                }
            case "LayerGradCam":
                {
                    Checks.knownArgs(
                            args, CaptumArgs.layerArgs("relu_attributions", "attr_dim_summation"));
                    LayerGradCam gc = new LayerGradCam(model, layer);
                    LayerGradCam.Options d = LayerGradCam.Options.DEFAULTS;
                    LayerGradCam.Options options =
                            d.withAttributeToLayerInput(toInput)
                                    .withReluAttributions(
                                            args.bool("relu_attributions")
                                                    .orElse(d.reluAttributions()))
                                    .withAttrDimSummation(
                                            args.bool("attr_dim_summation")
                                                    .orElse(d.attrDimSummation()));
                    return (in, t, seed) -> gc.attribute(in, t, options);
                }
            case "LayerConductance":
                {
                    Checks.knownArgs(args, CaptumArgs.layerArgs(CaptumArgs.PATH_ARGS));
                    LayerConductance lc = new LayerConductance(model, layer);
                    LayerConductance.Options.Builder o =
                            LayerConductance.Options.builder().attributeToLayerInput(toInput);
                    CaptumArgs.pathArgs(args, o);
                    LayerConductance.Options options =
                            o.returnConvergenceDelta(Checks.wantsDelta(c)).build();
                    return (in, t, seed) -> lc.attribute(in, t, options);
                }
            case "InternalInfluence":
                {
                    Checks.knownArgs(
                            args, CaptumArgs.layerArgs("n_steps", "method", "internal_batch_size"));
                    InternalInfluence ii = new InternalInfluence(model, layer);
                    InternalInfluence.Options.Builder o =
                            InternalInfluence.Options.builder().attributeToLayerInput(toInput);
                    CaptumArgs.pathArgs(args, o);
                    InternalInfluence.Options options = o.build();
                    return (in, t, seed) -> ii.attribute(in, t, options);
                }
            case "LayerIntegratedGradients":
                {
                    Checks.knownArgs(args, CaptumArgs.layerArgs(CaptumArgs.PATH_ARGS));
                    LayerIntegratedGradients lig =
                            new LayerIntegratedGradients(model, List.of(layer), multiply);
                    LayerIntegratedGradients.Options.Builder o =
                            LayerIntegratedGradients.Options.builder()
                                    .attributeToLayerInput(toInput);
                    CaptumArgs.pathArgs(args, o);
                    LayerIntegratedGradients.Options options =
                            o.returnConvergenceDelta(Checks.wantsDelta(c)).build();
                    return (in, t, seed) -> lig.attribute(in, t, options);
                }
            case "LayerGradientShap":
                {
                    Checks.knownArgs(
                            args,
                            CaptumArgs.layerArgs(
                                    "n_samples", "stdevs", "return_convergence_delta"));
                    LayerGradientShap lgs = new LayerGradientShap(model, layer, multiply);
                    LayerGradientShap.Options.Builder o =
                            CaptumArgs.samplingArgs(
                                    args,
                                    LayerGradientShap.Options.builder()
                                            .attributeToLayerInput(toInput));
                    LayerGradientShap.Options options =
                            o.returnConvergenceDelta(Checks.wantsDelta(c)).build();
                    return (in, t, seed) ->
                            lgs.attribute(in, t, options.toBuilder().seed(seed).build());
                }
            case "LayerFeatureAblation":
                {
                    Checks.knownArgs(
                            args, CaptumArgs.layerArgs("layer_mask", "perturbations_per_eval"));
                    LayerFeatureAblation lfa = new LayerFeatureAblation(model, layer);
                    int ppe = args.integer("perturbations_per_eval", 1);
                    return (in, t, seed) ->
                            lfa.attribute(
                                    in,
                                    t,
                                    LayerFeatureAblation.Options.DEFAULTS
                                            .withLayerMask(
                                                    args.tensor("layer_mask", in.manager())
                                                            .orElse(null))
                                            .withAttributeToLayerInput(toInput)
                                            .withPerturbationsPerEval(ppe));
                }
            case "LayerFeaturePermutation":
                {
                    Checks.knownArgs(args, Set.of("layer_mask", "perturbations_per_eval"));
                    LayerFeaturePermutation lfp = new LayerFeaturePermutation(model, layer);
                    int ppe = args.integer("perturbations_per_eval", 1);
                    MethodCall call =
                            (in, t, seed) ->
                                    lfp.attribute(
                                            in,
                                            t,
                                            new LayerFeaturePermutation.Options(
                                                    args.tensor("layer_mask", in.manager())
                                                            .orElse(null),
                                                    ppe,
                                                    seed));
                    return perOutputWithoutTarget(call, model);
                }
            default:
                throw new IllegalArgumentException(
                        "method must be a layer method, got " + c.method());
        }
    }

    /**
     * Captum 0.8's layer perturbation methods without a target on a model with K outputs per
     * example: the output is flattened, so the attribution has one row per (example, output), row
     * {@code n·K + c} being example n's attribution for output c. This runs one call per output
     * (with the same seed, hence the same draws, as Captum shares them) and interleaves the rows;
     * with a target the call is unchanged.
     */
    private static MethodCall perOutputWithoutTarget(MethodCall call, LayerAccess model) {
        return (in, t, seed) -> {
            if (!t.equals(Target.none())) {
                return call.attribute(in, t, seed);
            }
            long outputs;
            try (NDArray out =
                    Gradients.forward(model.forwardFunction(), in.tensors(), in.additionalArgs())) {
                outputs = out.getShape().size() / out.getShape().get(0);
            }
            if (outputs == 1) {
                return call.attribute(in, t, seed);
            }
            Attribution[] perOutput = new Attribution[(int) outputs];
            try {
                for (int k = 0; k < outputs; k++) {
                    perOutput[k] = call.attribute(in, Target.index(k), seed);
                }
                NDList rows = new NDList();
                for (int i = 0; i < perOutput[0].attributions().size(); i++) {
                    NDList parts = new NDList();
                    for (Attribution a : perOutput) {
                        parts.add(a.attribution(i).expandDims(1));
                    }
                    Shape s = perOutput[0].attribution(i).getShape();
                    rows.add(
                            NDArrays.concat(parts, 1)
                                    .reshape(new Shape(s.get(0) * outputs).addAll(s.slice(1))));
                }
                return new Attribution(perOutput[0].provenance(), rows, null);
            } finally {
                for (Attribution a : perOutput) {
                    if (a != null) {
                        a.close();
                    }
                }
            }
        };
    }

    private static MethodCall neuron(GoldenCase c, LayerAccess model, LayerPath layer) {
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
                    CaptumArgs.pathArgs(args, o);
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
                    CaptumArgs.pathArgs(args, o);
                    NeuronConductance.Options options = o.build();
                    return (in, t, seed) -> nc.attribute(in, neuron, t, options);
                }
            case "NeuronGradientShap":
                {
                    Checks.knownArgs(args, CaptumArgs.neuronArgs("n_samples", "stdevs"));
                    NeuronGradientShap ngs = new NeuronGradientShap(model, layer, multiply);
                    NeuronGradientShap.Options.Builder o =
                            CaptumArgs.samplingArgs(
                                    args,
                                    NeuronGradientShap.Options.builder()
                                            .attributeToNeuronInput(toInput));
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
                                    NeuronFeatureAblation.Options.DEFAULTS
                                            .withFeatureMask(
                                                    args.tensor("feature_mask", in.manager())
                                                            .map(mask -> new NDArray[] {mask})
                                                            .orElse(null))
                                            .withAttributeToNeuronInput(toInput)
                                            .withPerturbationsPerEval(ppe));
                }
            default:
                throw new IllegalArgumentException(
                        "method must be a neuron method, got " + c.method());
        }
    }
}
