package io.github.captum4j.conformance.families;

import io.github.captum4j.attr.Deconvolution;
import io.github.captum4j.attr.DeepLift;
import io.github.captum4j.attr.DeepLiftShap;
import io.github.captum4j.attr.GuidedBackprop;
import io.github.captum4j.attr.GuidedGradCam;
import io.github.captum4j.attr.LRP;
import io.github.captum4j.attr.layer.LayerAttributionMethod;
import io.github.captum4j.attr.layer.LayerDeepLift;
import io.github.captum4j.attr.layer.LayerDeepLiftShap;
import io.github.captum4j.attr.layer.LayerLRP;
import io.github.captum4j.attr.neuron.NeuronAttributionMethod;
import io.github.captum4j.attr.neuron.NeuronDeconvolution;
import io.github.captum4j.attr.neuron.NeuronDeepLift;
import io.github.captum4j.attr.neuron.NeuronDeepLiftShap;
import io.github.captum4j.attr.neuron.NeuronGradient;
import io.github.captum4j.attr.neuron.NeuronGuidedBackprop;
import io.github.captum4j.attr.neuron.NeuronSelector;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.layer.LayerAccess;
import io.github.captum4j.core.layer.LayerPath;
import io.github.captum4j.core.rules.Composite;
import io.github.captum4j.core.rules.LrpRules;
import io.github.captum4j.core.rules.Rule;
import io.github.captum4j.core.rules.RuleModel;

import java.util.Optional;
import java.util.Set;

/**
 * The conformance runner's rule-based cases (DeepLift, GuidedBackprop, Deconvolution, ...). They
 * run on the Block form only: the library walks the imported model's modules; the TorchScript form
 * is skipped.
 */
public final class RuleFamily extends MethodFamily {

    /** Why the TorchScript form is skipped. */
    static final String TORCHSCRIPT_SKIP =
            "rule-based methods run on Block models only (the library must walk the modules)";

    /** The family of the rule-based methods' cases. */
    public RuleFamily() {
        super(
                "rule",
                "DeepLift",
                "DeepLiftShap",
                "GuidedBackprop",
                "Deconvolution",
                "GuidedGradCam",
                "LRP",
                "LayerLRP",
                "LayerDeepLift",
                "LayerDeepLiftShap",
                "NeuronDeepLift",
                "NeuronDeepLiftShap",
                "NeuronGuidedBackprop",
                "NeuronDeconvolution");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(
                c,
                (form, f, m) -> {
                    if (!(f instanceof RuleModel)) {
                        return Verdict.skipped(TORCHSCRIPT_SKIP);
                    }
                    return Checks.exact(c, build(c, f), Checks.inputs(c, m, false), m);
                });
    }

    /**
     * Builds the case's method on a Block model.
     *
     * @param c the case
     * @param f the model
     * @return the call
     */
    private static MethodCall build(GoldenCase c, ForwardFunction f) {
        CaseArgs init = c.initArgs();
        CaseArgs args = c.attributeArgs();
        boolean multiply = init.bool("multiply_by_inputs", true);
        switch (c.method()) {
            case "DeepLift":
                {
                    Checks.knownArgs(args, Set.of("return_convergence_delta"));
                    DeepLift dl = new DeepLift(f, multiply, eps(init));
                    DeepLift.Options o = deepLiftOptions(c);
                    return (in, t, seed) -> dl.attribute(in, t, o);
                }
            case "DeepLiftShap":
                {
                    Checks.knownArgs(args, Set.of("return_convergence_delta"));
                    DeepLiftShap dls = new DeepLiftShap(f, multiply, eps(init), true);
                    DeepLift.Options o = deepLiftOptions(c);
                    return (in, t, seed) -> dls.attribute(in, t, o);
                }
            case "GuidedBackprop":
                {
                    Checks.knownArgs(args, Set.of());
                    GuidedBackprop gb = new GuidedBackprop(f);
                    return (in, t, seed) -> gb.attribute(in, t);
                }
            case "LRP":
                {
                    Checks.knownArgs(args, Set.of("return_convergence_delta"));
                    LRP lrp = new LRP(f, lrpRules(init));
                    LRP.Options o = new LRP.Options(Checks.wantsDelta(c));
                    return (in, t, seed) -> lrp.attribute(in, t, o);
                }
            case "Deconvolution":
                {
                    Checks.knownArgs(args, Set.of());
                    Deconvolution d = new Deconvolution(f);
                    return (in, t, seed) -> d.attribute(in, t);
                }
            default:
                return layerOrNeuron(c, LayerAccess.of(f), multiply);
        }
    }

    private static MethodCall layerOrNeuron(GoldenCase c, LayerAccess model, boolean multiply) {
        CaseArgs args = c.attributeArgs();
        LayerPath layer = LayerPath.of(c.initArgs().string("layer").orElseThrow());
        switch (c.method()) {
            case "GuidedGradCam":
                {
                    Checks.knownArgs(args, Set.of("attribute_to_layer_input", "interpolate_mode"));
                    GuidedGradCam ggc = new GuidedGradCam(model, layer);
                    GuidedGradCam.Options o =
                            new GuidedGradCam.Options(
                                    CaptumArgs.interpolation(
                                            args.string("interpolate_mode").orElse("nearest")),
                                    args.bool("attribute_to_layer_input", false));
                    return (in, t, seed) -> ggc.attribute(in, t, o);
                }
            case "LayerLRP":
                {
                    Checks.knownArgs(
                            args, Set.of("return_convergence_delta", "attribute_to_layer_input"));
                    LayerLRP l = new LayerLRP(model, layer, lrpRules(c.initArgs()));
                    LayerLRP.Options o =
                            new LayerLRP.Options(
                                    Checks.wantsDelta(c),
                                    args.bool("attribute_to_layer_input", false));
                    return (in, t, seed) -> l.attribute(in, t, o);
                }
            case "LayerDeepLift":
            case "LayerDeepLiftShap":
                {
                    Checks.knownArgs(
                            args, Set.of("return_convergence_delta", "attribute_to_layer_input"));
                    LayerDeepLift.Options o =
                            new LayerDeepLift.Options(
                                    Checks.wantsDelta(c),
                                    args.bool("attribute_to_layer_input", false));
                    LayerAttributionMethod<LayerDeepLift.Options> m =
                            c.method().equals("LayerDeepLift")
                                    ? new LayerDeepLift(model, layer, multiply)
                                    : new LayerDeepLiftShap(model, layer, multiply);
                    return (in, t, seed) -> m.attribute(in, t, o);
                }
            default:
                {
                    Checks.knownArgs(args, Set.of("neuron_selector", "attribute_to_neuron_input"));
                    NeuronGradient.Options o =
                            new NeuronGradient.Options(
                                    args.bool("attribute_to_neuron_input", false));
                    NeuronAttributionMethod<NeuronGradient.Options> m =
                            neuronMethod(c.method(), model, layer, multiply);
                    NeuronSelector neuron = CaptumArgs.neuronSelector(args);
                    return (in, t, seed) -> m.attribute(in, neuron, t, o);
                }
        }
    }

    private static NeuronAttributionMethod<NeuronGradient.Options> neuronMethod(
            String method, LayerAccess model, LayerPath layer, boolean multiply) {
        switch (method) {
            case "NeuronDeepLift":
                return new NeuronDeepLift(model, layer, multiply);
            case "NeuronDeepLiftShap":
                return new NeuronDeepLiftShap(model, layer, multiply);
            case "NeuronGuidedBackprop":
                return new NeuronGuidedBackprop(model, layer);
            case "NeuronDeconvolution":
                return new NeuronDeconvolution(model, layer);
            default:
                throw new IllegalArgumentException(
                        "method must be a rule-based neuron method, got " + method);
        }
    }

    /** Captum's default LRP rules with the case's per-layer {@code init_args.rules}. */
    private static Composite lrpRules(CaseArgs init) {
        Composite composite = Composite.lrp();
        Optional<CaseArgs> rules = init.object("rules");
        if (rules.isEmpty()) {
            return composite;
        }
        for (String layer : rules.get().keys()) {
            CaseArgs spec = rules.get().object(layer).orElseThrow();
            CaseArgs ruleArgs = spec.object("args").orElse(new CaseArgs(null, "args"));
            String rule = spec.string("rule").orElse("");
            composite = composite.withLayer(layer, lrpRule(rule, ruleArgs));
        }
        return composite;
    }

    private static Rule lrpRule(String name, CaseArgs args) {
        switch (name) {
            case "EpsilonRule":
                return LrpRules.epsilon((float) args.number("epsilon", LrpRules.DEFAULT_EPSILON));
            case "GammaRule":
                return LrpRules.gamma((float) args.number("gamma", LrpRules.DEFAULT_GAMMA));
            case "Alpha1_Beta0_Rule":
                return LrpRules.alpha1Beta0();
            case "IdentityRule":
                return LrpRules.pass();
            default:
                throw new IllegalArgumentException(
                        "init_args.rules[].rule must be EpsilonRule, GammaRule, Alpha1_Beta0_Rule"
                                + " or IdentityRule, got '"
                                + name
                                + "'");
        }
    }

    private static float eps(CaseArgs init) {
        return init.number("eps").map(Number::floatValue).orElse(DeepLift.DEFAULT_EPS);
    }

    private static DeepLift.Options deepLiftOptions(GoldenCase c) {
        return new DeepLift.Options(Checks.wantsDelta(c));
    }
}
