package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.metrics.ExplanationFunction;
import io.github.captum4j.metrics.InfidelityPerturbation;
import io.github.captum4j.metrics.Metrics;
import io.github.captum4j.metrics.SensitivityPerturbation;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The metric cases ({@code infidelity}, {@code sensitivity_max}): the fixtures' deterministic
 * perturbation functions are rebuilt here from their definitions, so those cases compare scores
 * exactly; random perturbations are checked against the recorded seed statistics.
 */
public final class MetricFamily extends MethodFamily {

    /** Seeded runs averaged for a statistical metric case. */
    private static final int RUNS = 20;

    /** The family of the metric cases. */
    public MetricFamily() {
        super("metric", "infidelity", "sensitivity_max");
    }

    @Override
    public Set<String> properties() {
        return Set.of("seed_stats");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(c, (form, f, m) -> check(c, f, m));
    }

    private static Verdict check(GoldenCase c, ForwardFunction f, NDManager m) {
        CaseArgs args = c.attributeArgs();
        CaseArgs explanationArgs =
                new CaseArgs(c.json().getAsJsonObject("explanation"), "explanation")
                        .object("attribute_args")
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "explanation.attribute_args is required"));
        Target target = explanationTarget(explanationArgs);
        Inputs in = Inputs.of(c.inputs(m));
        String perturb = args.string("perturb_func").orElse("default");
        boolean random = c.kind() == GoldenCase.Kind.STATISTICAL;
        Verdict v = new Verdict();
        if (!random) {
            NDArray score = score(c, f, in, target, explanationArgs, perturb, null);
            v.compare(
                    "exact score (" + perturb + ")",
                    c.tolerance().check(score, c.tensor("score", m)));
            return v;
        }
        NDArray mean = c.tensors("seed_stats.mean", m).get(0);
        NDArray std = c.tensors("seed_stats.std", m).get(0);
        int referenceSeeds = c.number("seed_stats.n_seeds").orElseThrow().intValue();
        double[] sum = new double[(int) mean.size()];
        double[] sumSq = new double[sum.length];
        for (int s = 0; s < RUNS; s++) {
            float[] score = score(c, f, in, target, explanationArgs, perturb, s).toFloatArray();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += score[i];
                sumSq[i] += (double) score[i] * score[i];
            }
        }
        float[] mu = mean.toFloatArray();
        float[] sd = std.toFloatArray();
        // Scores below the case's atol are rounding noise (e.g. a piecewise-linear model
        // whose gradient does not change within the radius): compare them with atol.
        double atol = c.tolerance().atol();
        double ourVar = 0;
        double refVar = 0;
        boolean ok = true;
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < sum.length; i++) {
            double ourMean = sum[i] / RUNS;
            double var = Math.max(0, sumSq[i] / RUNS - ourMean * ourMean) * RUNS / (RUNS - 1);
            double allowed =
                    Checks.DRAW_Z * Math.sqrt(var / RUNS + (double) sd[i] * sd[i] / referenceSeeds)
                            + atol
                            + 1e-6 * Math.abs(mu[i]);
            if (Math.abs(ourMean - mu[i]) > allowed) {
                ok = false;
                detail.append(
                        String.format(
                                Locale.ROOT,
                                "[%d] %.4g vs %.4g (+-%.3g) ",
                                i,
                                ourMean,
                                mu[i],
                                allowed));
            }
            ourVar += var;
            refVar += (double) sd[i] * sd[i];
        }
        v.check(
                String.format(
                        Locale.ROOT,
                        "mean of %d seeded runs within %.0f SE of seed_stats mean",
                        RUNS,
                        Checks.DRAW_Z),
                ok,
                detail.toString());
        if (Math.sqrt(refVar) > atol) {
            v.spread(ourVar, refVar, "seed_stats std");
        } else {
            v.check(
                    "spread below atol like seed_stats std",
                    Math.sqrt(ourVar) <= atol,
                    "our spread " + Math.sqrt(ourVar) + " > atol " + atol);
        }
        return v;
    }

    private static NDArray score(
            GoldenCase c,
            ForwardFunction f,
            Inputs in,
            Target target,
            CaseArgs explanationArgs,
            String perturb,
            Integer seed) {
        CaseArgs args = c.attributeArgs();
        int samples = args.integer("n_perturb_samples", 10);
        if (c.method().equals("infidelity")) {
            NDArray attributions = c.tensors("attributions_input", in.manager()).get(0);
            return Metrics.infidelity(
                    f,
                    infidelityPerturbation(perturb),
                    in,
                    new NDList(attributions),
                    target,
                    Metrics.InfidelityOptions.DEFAULTS
                            .withNPerturbSamples(samples)
                            .withNormalize(args.bool("normalize", false))
                            .withSeed(seed));
        }
        String norm = args.string("norm_ord").orElse("fro");
        if (!norm.equals("fro")) {
            throw new IllegalArgumentException(
                    "attribute_args.norm_ord must be 'fro' here, got " + norm);
        }
        return Metrics.sensitivityMax(
                explanation(c, f, explanationArgs),
                sensitivityPerturbation(perturb),
                in,
                target,
                Metrics.SensitivityOptions.DEFAULTS
                        .withNPerturbSamples(samples)
                        .withPerturbRadius((float) args.number("perturb_radius", 0.02))
                        .withSeed(seed));
    }

    private static Target explanationTarget(CaseArgs explanationArgs) {
        Optional<Integer> t = explanationArgs.integer("target");
        return t.map(Target::index).orElse(Target.none());
    }

    private static ExplanationFunction explanation(GoldenCase c, ForwardFunction f, CaseArgs args) {
        String method = c.json().getAsJsonObject("explanation").get("method").getAsString();
        if (method.equals("IntegratedGradients")) {
            IntegratedGradients ig = new IntegratedGradients(f);
            IntegratedGradients.Options o =
                    IntegratedGradients.Options.builder()
                            .nSteps(args.integer("n_steps", 50))
                            .build();
            float baseline = (float) args.number("baselines", 0);
            return (in, t) -> ig.attribute(in.withBaselines(Baselines.scalar(baseline)), t, o);
        }
        if (method.equals("Saliency")) {
            Saliency s = new Saliency(f);
            Saliency.Options o = new Saliency.Options(args.bool("abs", true));
            return (in, t) -> s.attribute(in, t, o);
        }
        throw new IllegalArgumentException(
                "explanation.method must be IntegratedGradients or Saliency, got " + method);
    }

    /**
     * The fixtures' perturbations: P[k] = 0.1 sin(0.37 k + 1) over the expanded batch, or noise.
     */
    private static InfidelityPerturbation infidelityPerturbation(String name) {
        if (name.equals("fixed_sin")) {
            return (inputs, baselines) -> {
                NDList p = new NDList(inputs.size());
                NDList perturbed = new NDList(inputs.size());
                for (NDArray x : inputs) {
                    NDArray k = x.getManager().arange(0f, (float) x.size()).reshape(x.getShape());
                    NDArray pk =
                            k.mul(0.37f).add(1f).sin().mul(0.1f).toType(x.getDataType(), false);
                    p.add(pk);
                    perturbed.add(x.sub(pk));
                }
                return new InfidelityPerturbation.Perturbed(p, perturbed);
            };
        }
        if (name.equals("gaussian_noise_std0.003")) {
            return InfidelityPerturbation.gaussian(0.003);
        }
        throw new IllegalArgumentException("attribute_args.perturb_func '" + name + "' is unknown");
    }

    /** X + radius sin(1.3 k + 0.5) over the expanded batch, or Captum's default. */
    private static SensitivityPerturbation sensitivityPerturbation(String name) {
        if (name.equals("fixed_sin_radius")) {
            return (inputs, r) -> {
                NDList out = new NDList(inputs.size());
                for (NDArray x : inputs) {
                    NDArray k = x.getManager().arange(0f, (float) x.size()).reshape(x.getShape());
                    out.add(
                            x.add(
                                    k.mul(1.3f)
                                            .add(0.5f)
                                            .sin()
                                            .mul(r)
                                            .toType(x.getDataType(), false)));
                }
                return out;
            };
        }
        if (name.equals("default")) {
            return SensitivityPerturbation.uniformLinf();
        }
        throw new IllegalArgumentException("attribute_args.perturb_func '" + name + "' is unknown");
    }
}
