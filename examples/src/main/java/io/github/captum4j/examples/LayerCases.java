package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;

import io.github.captum4j.attr.layer.InternalInfluence;
import io.github.captum4j.attr.layer.Interpolation;
import io.github.captum4j.attr.layer.LayerActivation;
import io.github.captum4j.attr.layer.LayerAttribution;
import io.github.captum4j.attr.layer.LayerConductance;
import io.github.captum4j.attr.layer.LayerFeatureAblation;
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
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.internal.fixtures.FixtureArgs;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.model.TorchScriptModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The conformance runner's layer and neuron cases. The Block form runs on the imported model; the
 * TorchScript form on the module exported with taps by {@code tools/export_taps.py}, {@code
 * taps/<model>.pt} beside the fixture's {@code models/} folder (skipped when the file or the case's
 * layer is not exported). Exact cases are compared with {@code expected} (attributions, delta, and
 * GradCAM's {@code interpolated_nearest} / {@code interpolated_bilinear}); the feature ablations
 * run on the perturbation engine; the GradientShap variants by the mean of seeded runs against the
 * recorded {@code seed_stats}.
 */
final class LayerCases {

    /** The methods handled here. */
    static final Set<String> METHODS =
            Set.of(
                    "LayerActivation",
                    "LayerGradientXActivation",
                    "LayerConductance",
                    "InternalInfluence",
                    "LayerIntegratedGradients",
                    "LayerGradCam",
                    "LayerGradientShap",
                    "LayerFeatureAblation",
                    "NeuronGradient",
                    "NeuronIntegratedGradients",
                    "NeuronConductance",
                    "NeuronGradientShap",
                    "NeuronFeatureAblation");

    /** Seeded runs averaged by a statistical check. */
    static final int RUNS = 100;

    private static final Set<String> PATH_ARGS =
            Set.of("n_steps", "method", "internal_batch_size", "return_convergence_delta");

    private LayerCases() {}

    /**
     * Runs a case on one form of its model.
     *
     * @param form the model form
     * @param c the case, of one of {@link #METHODS}
     * @param f the model as the runner loaded it
     * @param parent manager under which the case's tensors live (freed before returning)
     * @return the outcome
     */
    static FormOutcome evaluate(
            ModelForm form, FixtureCase c, ForwardFunction f, NDManager parent) {
        TorchScriptModel tapped = null;
        try (NDManager m = parent.newSubManager()) {
            LayerAccess model;
            if (f instanceof TorchScriptModel ts && ts.layerNames().isEmpty()) {
                Path taps = ts.file().getParent().resolveSibling("taps").resolve(c.model() + ".pt");
                if (!Files.isRegularFile(taps)) {
                    return FormOutcome.skip(form, "no taps/" + c.model() + ".pt");
                }
                tapped = TorchScriptModel.load(taps);
                model = tapped;
            } else {
                model = LayerAccess.of(f);
            }
            String layer = c.initArgs().string("layer").orElseThrow();
            if (!model.layerNames().contains(layer)) {
                return FormOutcome.skip(form, "layer " + layer + " not among the exported taps");
            }
            CaseMethod.Call call = build(c, model, LayerPath.of(layer));
            Inputs in = CaseMethod.inputs(c, m);
            CaseChecks.Verdict v =
                    c.kind() == FixtureCase.Kind.EXACT
                            ? exact(c, call, in, m)
                            : seedMean(c, call, in, m);
            return v.outcome(form);
        } catch (RuntimeException e) {
            return FormOutcome.error(form, e);
        } finally {
            if (tapped != null) {
                tapped.close();
            }
        }
    }

    /**
     * Builds the case's method on a model.
     *
     * @param c the case
     * @param model the model
     * @param layer the case's layer
     * @return the call
     */
    static CaseMethod.Call build(FixtureCase c, LayerAccess model, LayerPath layer) {
        FixtureArgs args = c.attributeArgs();
        boolean multiply = c.initArgs().bool("multiply_by_inputs", true);
        boolean toInput =
                args.bool("attribute_to_layer_input", false)
                        || args.bool("attribute_to_neuron_input", false);
        switch (c.method()) {
            case "LayerActivation":
                {
                    checkKnown(args, Set.of());
                    LayerActivation la = new LayerActivation(model, layer);
                    LayerActivation.Options o = new LayerActivation.Options(toInput);
                    return (in, t, seed) -> la.attribute(in, t, o);
                }
            case "LayerGradientXActivation":
                {
                    checkKnown(args, Set.of());
                    LayerGradientXActivation lga =
                            new LayerGradientXActivation(model, List.of(layer), multiply);
                    LayerGradientXActivation.Options o =
                            new LayerGradientXActivation.Options(toInput);
                    return (in, t, seed) -> lga.attribute(in, t, o);
                }
            case "LayerGradCam":
                {
                    checkKnown(args, Set.of("relu_attributions", "attr_dim_summation"));
                    LayerGradCam gc = new LayerGradCam(model, layer);
                    LayerGradCam.Options.Builder o =
                            LayerGradCam.Options.builder().attributeToLayerInput(toInput);
                    args.bool("relu_attributions").ifPresent(o::reluAttributions);
                    args.bool("attr_dim_summation").ifPresent(o::attrDimSummation);
                    LayerGradCam.Options options = o.build();
                    return (in, t, seed) -> gc.attribute(in, t, options);
                }
            case "LayerConductance":
                {
                    checkKnown(args, PATH_ARGS);
                    LayerConductance lc = new LayerConductance(model, layer);
                    LayerConductance.Options.Builder o =
                            LayerConductance.Options.builder().attributeToLayerInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaseMethod.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    LayerConductance.Options options =
                            o.returnConvergenceDelta(CaseMethod.wantsDelta(c)).build();
                    return (in, t, seed) -> lc.attribute(in, t, options);
                }
            case "InternalInfluence":
                {
                    checkKnown(args, Set.of("n_steps", "method", "internal_batch_size"));
                    InternalInfluence ii = new InternalInfluence(model, layer);
                    InternalInfluence.Options.Builder o =
                            InternalInfluence.Options.builder().attributeToLayerInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaseMethod.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    InternalInfluence.Options options = o.build();
                    return (in, t, seed) -> ii.attribute(in, t, options);
                }
            case "LayerIntegratedGradients":
                {
                    checkKnown(args, PATH_ARGS);
                    LayerIntegratedGradients lig =
                            new LayerIntegratedGradients(model, List.of(layer), multiply);
                    LayerIntegratedGradients.Options.Builder o =
                            LayerIntegratedGradients.Options.builder()
                                    .attributeToLayerInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaseMethod.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    LayerIntegratedGradients.Options options =
                            o.returnConvergenceDelta(CaseMethod.wantsDelta(c)).build();
                    return (in, t, seed) -> lig.attribute(in, t, options);
                }
            case "LayerGradientShap":
                {
                    checkKnown(args, Set.of("n_samples", "stdevs", "return_convergence_delta"));
                    LayerGradientShap lgs = new LayerGradientShap(model, layer, multiply);
                    LayerGradientShap.Options.Builder o =
                            LayerGradientShap.Options.builder().attributeToLayerInput(toInput);
                    args.integer("n_samples").ifPresent(o::nSamples);
                    args.numbers("stdevs").ifPresent(s -> o.stdevs(doubles(s)));
                    LayerGradientShap.Options options =
                            o.returnConvergenceDelta(CaseMethod.wantsDelta(c)).build();
                    return (in, t, seed) ->
                            lgs.attribute(in, t, options.toBuilder().seed(seed).build());
                }
            case "LayerFeatureAblation":
                {
                    checkKnown(args, Set.of("layer_mask", "perturbations_per_eval"));
                    LayerFeatureAblation lfa = new LayerFeatureAblation(model, layer);
                    int ppe = args.integer("perturbations_per_eval", 1);
                    return (in, t, seed) ->
                            lfa.attribute(
                                    in,
                                    t,
                                    LayerFeatureAblation.Options.builder()
                                            .layerMask(
                                                    args.tensor("layer_mask", in.manager())
                                                            .orElse(null))
                                            .attributeToLayerInput(toInput)
                                            .perturbationsPerEval(ppe)
                                            .build());
                }
            default:
                return neuron(c, model, layer, multiply, toInput);
        }
    }

    private static CaseMethod.Call neuron(
            FixtureCase c, LayerAccess model, LayerPath layer, boolean multiply, boolean toInput) {
        FixtureArgs args = c.attributeArgs();
        NeuronSelector neuron = selector(args);
        switch (c.method()) {
            case "NeuronGradient":
                {
                    checkKnown(args, Set.of("neuron_selector"));
                    NeuronGradient ng = new NeuronGradient(model, layer);
                    NeuronGradient.Options o = new NeuronGradient.Options(toInput);
                    return (in, t, seed) -> ng.attribute(in, neuron, t, o);
                }
            case "NeuronIntegratedGradients":
                {
                    checkKnown(
                            args,
                            Set.of("neuron_selector", "n_steps", "method", "internal_batch_size"));
                    NeuronIntegratedGradients nig =
                            new NeuronIntegratedGradients(model, layer, multiply);
                    NeuronIntegratedGradients.Options.Builder o =
                            NeuronIntegratedGradients.Options.builder()
                                    .attributeToNeuronInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaseMethod.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    NeuronIntegratedGradients.Options options = o.build();
                    return (in, t, seed) -> nig.attribute(in, neuron, t, options);
                }
            case "NeuronConductance":
                {
                    checkKnown(
                            args,
                            Set.of("neuron_selector", "n_steps", "method", "internal_batch_size"));
                    NeuronConductance nc = new NeuronConductance(model, layer, multiply);
                    NeuronConductance.Options.Builder o =
                            NeuronConductance.Options.builder().attributeToNeuronInput(toInput);
                    args.integer("n_steps").ifPresent(o::nSteps);
                    args.string("method").ifPresent(s -> o.method(CaseMethod.approximation(s)));
                    args.integer("internal_batch_size").ifPresent(o::internalBatchSize);
                    NeuronConductance.Options options = o.build();
                    return (in, t, seed) -> nc.attribute(in, neuron, t, options);
                }
            case "NeuronGradientShap":
                {
                    checkKnown(args, Set.of("neuron_selector", "n_samples", "stdevs"));
                    NeuronGradientShap ngs = new NeuronGradientShap(model, layer, multiply);
                    NeuronGradientShap.Options.Builder o =
                            NeuronGradientShap.Options.builder().attributeToNeuronInput(toInput);
                    args.integer("n_samples").ifPresent(o::nSamples);
                    args.numbers("stdevs").ifPresent(s -> o.stdevs(doubles(s)));
                    NeuronGradientShap.Options options = o.build();
                    return (in, t, seed) ->
                            ngs.attribute(in, neuron, t, options.toBuilder().seed(seed).build());
                }
            case "NeuronFeatureAblation":
                {
                    checkKnown(
                            args,
                            Set.of("neuron_selector", "feature_mask", "perturbations_per_eval"));
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
                        "method must be one of " + new TreeSet<>(METHODS) + ", got " + c.method());
        }
    }

    /** Captum's neuron_selector as an int or an index list. */
    private static NeuronSelector selector(FixtureArgs args) {
        JsonElement raw =
                args.raw("neuron_selector")
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "attribute_args.neuron_selector is required"));
        return raw.isJsonArray()
                ? NeuronSelector.index(args.integers("neuron_selector").orElseThrow())
                : NeuronSelector.index(args.integer("neuron_selector").orElseThrow());
    }

    private static CaseChecks.Verdict exact(
            FixtureCase c, CaseMethod.Call call, Inputs in, NDManager m) {
        CaseChecks.Verdict v = new CaseChecks.Verdict();
        try (Attribution a = call.attribute(in, c.target(), c.torchManualSeed().orElse(null))) {
            NDList expected = c.expectedAttributions(m);
            if (expected.size() != a.attributions().size()) {
                v.fail("exact", a.attributions().size() + " tensors, expected " + expected.size());
                return v;
            }
            for (int i = 0; i < expected.size(); i++) {
                v.compare("exact", c.tolerance().check(a.attribution(i), expected.get(i)));
            }
            if (CaseMethod.wantsDelta(c) && c.has("delta")) {
                Optional<NDArray> delta = a.convergenceDelta();
                if (delta.isEmpty()) {
                    v.fail("delta", "no convergence delta returned");
                } else {
                    v.compare("delta", c.tolerance().check(delta.get(), c.tensor("delta", m)));
                }
            }
            for (Interpolation mode :
                    new Interpolation[] {Interpolation.NEAREST, Interpolation.BILINEAR}) {
                String key = "interpolated_" + mode.name().toLowerCase(Locale.ROOT);
                if (c.has(key)) {
                    NDArray wanted = c.tensor(key, m);
                    long[] size = wanted.getShape().slice(2).getShape();
                    NDArray up = LayerAttribution.interpolate(a.attribution(0), size, mode);
                    v.compare(key, c.tolerance().check(up, wanted));
                }
            }
        }
        return v;
    }

    /** The mean of {@link #RUNS} seeded runs against the recorded mean over seeds. */
    private static CaseChecks.Verdict seedMean(
            FixtureCase c, CaseMethod.Call call, Inputs in, NDManager m) {
        CaseChecks.Verdict v = new CaseChecks.Verdict();
        if (!c.has("seed_stats.mean") || !c.has("seed_stats.std")) {
            v.fail("statistical", "the case records no seed_stats");
            return v;
        }
        int size = (int) c.tensors("seed_stats.mean", m).get(0).size();
        CaseChecks.Moments moments = new CaseChecks.Moments(size);
        for (int r = 0; r < RUNS; r++) {
            try (Attribution a = call.attribute(in, c.target(), r)) {
                moments.add(CaseChecks.doubles(a.attribution(0)));
            }
        }
        CaseChecks.seedStats(v, c, new CaseChecks.Moments[] {moments}, RUNS, "", m);
        return v;
    }

    private static double[] doubles(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** An argument this runner would silently ignore must not let a case pass: reject it. */
    private static void checkKnown(FixtureArgs args, Set<String> known) {
        for (String key : args.keys()) {
            boolean common =
                    key.equals("target")
                            || key.equals("attribute_to_layer_input")
                            || key.equals("attribute_to_neuron_input");
            if (!common && !known.contains(key)) {
                throw new IllegalArgumentException(
                        "attribute_args."
                                + key
                                + " is not handled by the conformance runner (it knows "
                                + new TreeSet<>(known)
                                + ")");
            }
        }
    }
}
