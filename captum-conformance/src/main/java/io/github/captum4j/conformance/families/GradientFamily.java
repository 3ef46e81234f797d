package io.github.captum4j.conformance.families;

import io.github.captum4j.attr.InputXGradient;
import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.core.ForwardFunction;

import java.util.Set;

/**
 * The deterministic gradient methods (IntegratedGradients, Saliency, InputXGradient) on both model
 * forms: attributions and delta compared with {@code expected} within the case's tolerance.
 */
public final class GradientFamily extends MethodFamily {

    /** The family of IntegratedGradients, Saliency and InputXGradient cases. */
    public GradientFamily() {
        super("gradient", "IntegratedGradients", "Saliency", "InputXGradient");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(
                c, (form, f, m) -> Checks.exact(c, build(c, f), Checks.inputs(c, m, false), m));
    }

    private static MethodCall build(GoldenCase c, ForwardFunction f) {
        CaseArgs args = c.attributeArgs();
        switch (c.method()) {
            case "IntegratedGradients":
                {
                    Checks.knownArgs(args, CaptumArgs.IG_ARGS);
                    IntegratedGradients ig =
                            new IntegratedGradients(f, CaptumArgs.multiplyByInputs(c.initArgs()));
                    IntegratedGradients.Options o = CaptumArgs.igOptions(args);
                    return (in, t, seed) -> ig.attribute(in, t, o);
                }
            case "Saliency":
                {
                    Checks.knownArgs(args, CaptumArgs.SALIENCY_ARGS);
                    Saliency s = new Saliency(f);
                    Saliency.Options o = CaptumArgs.saliencyOptions(args);
                    return (in, t, seed) -> s.attribute(in, t, o);
                }
            default:
                {
                    Checks.knownArgs(args, Set.of());
                    InputXGradient ixg = new InputXGradient(f);
                    return (in, t, seed) -> ixg.attribute(in, t, InputXGradient.Options.DEFAULTS);
                }
        }
    }
}
