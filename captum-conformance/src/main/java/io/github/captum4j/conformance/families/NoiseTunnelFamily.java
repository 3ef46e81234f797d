package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.attr.IntegratedGradients;
import io.github.captum4j.attr.NoiseTunnel;
import io.github.captum4j.attr.Saliency;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.Bound;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * NoiseTunnel over IntegratedGradients or Saliency. Our noise comes from libtorch's generator,
 * drawn as Captum draws it, so with Captum's seed the output should equal the recorded one; a
 * statistical case that misses it must at least lie, elementwise, within {@link Checks#DRAW_Z}
 * standard deviations of the recorded seed mean.
 */
public final class NoiseTunnelFamily extends MethodFamily {

    private static final Set<String> BASES = Set.of("IntegratedGradients", "Saliency");

    private static final Set<String> NOISE_TUNNEL_ARGS =
            Set.of(
                    "nt_type",
                    "nt_samples",
                    "nt_samples_batch_size",
                    "stdevs",
                    "draw_baseline_from_distrib");

    /** The family of NoiseTunnel cases over the bases implemented here. */
    public NoiseTunnelFamily() {
        super("noise_tunnel", "NoiseTunnel");
    }

    @Override
    public boolean handles(GoldenCase c) {
        return super.handles(c) && BASES.contains(baseMethod(c));
    }

    @Override
    public Set<String> properties() {
        return Set.of("seed_stats");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(
                c,
                (form, f, m) -> {
                    boolean distribution =
                            c.attributeArgs().bool("draw_baseline_from_distrib", false);
                    Inputs in = Checks.inputs(c, m, distribution);
                    MethodCall call = build(c, f);
                    return c.kind() == GoldenCase.Kind.EXACT
                            ? Checks.exact(c, call, in, m)
                            : statistical(c, call, in, c.target(), m);
                });
    }

    private static Verdict statistical(
            GoldenCase c, MethodCall call, Inputs in, Target t, NDManager m) {
        Verdict v = new Verdict();
        int seed = c.torchManualSeed().orElse(0);
        try (Attribution a = call.attribute(in, t, seed)) {
            Tolerance.Result seeded =
                    Checks.attributions(c, a.attributions(), c.expectedAttributions(m));
            if (seeded.passed()) {
                v.compare("seeded-exact (seed " + seed + ")", seeded);
                return v;
            }
            if (!c.has("seed_stats.mean") || !c.has("seed_stats.std")) {
                v.compare(
                        "seeded-exact (seed " + seed + ", no seed_stats to fall back on)", seeded);
                return v;
            }
            NDList mean = c.tensors("seed_stats.mean", m);
            NDList std = c.tensors("seed_stats.std", m);
            int nSeeds = c.number("seed_stats.n_seeds").map(Double::intValue).orElse(0);
            double scale = Checks.maxAbs(mean);
            Bound all = Bound.empty();
            for (int i = 0; i < mean.size(); i++) {
                double[] x = Checks.doubles(a.attribution(i));
                double[] mu = Checks.doubles(mean.get(i));
                double[] sd = Checks.doubles(std.get(i));
                double[] allowed = new double[mu.length];
                for (int j = 0; j < mu.length; j++) {
                    // std ~ 0 elements get the case's tolerance plus a sliver of the output scale.
                    allowed[j] =
                            Checks.DRAW_Z * sd[j]
                                    + c.tolerance().atol()
                                    + c.tolerance().rtol() * Math.abs(mu[j])
                                    + 1e-6 * scale;
                }
                all = all.and(Bound.check(x, mu, allowed));
            }
            v.bound(
                    String.format(
                            Locale.ROOT,
                            "stats: within %.0f std of seed_stats mean (n=%d) [seeded-exact missed:"
                                    + " %s]",
                            Checks.DRAW_Z,
                            nSeeds,
                            seeded.detail()),
                    all);
        }
        return v;
    }

    private static MethodCall build(GoldenCase c, ForwardFunction f) {
        CaseArgs args = c.attributeArgs();
        CaseArgs baseInit =
                c.initArgs()
                        .object("base")
                        .flatMap(b -> b.object("init_args"))
                        .orElse(new CaseArgs(null, "init_args.base.init_args"));
        NoiseTunnel.Options.Builder o = NoiseTunnel.Options.builder();
        args.string("nt_type").ifPresent(s -> o.ntType(CaptumArgs.ntType(s)));
        args.integer("nt_samples").ifPresent(o::ntSamples);
        args.integer("nt_samples_batch_size").ifPresent(o::ntSamplesBatchSize);
        args.numbers("stdevs").ifPresent(s -> o.stdevs(Checks.doubles(s)));
        args.bool("draw_baseline_from_distrib").ifPresent(o::drawBaselineFromDistrib);
        NoiseTunnel.Options options = o.build();
        if (baseMethod(c).equals("IntegratedGradients")) {
            Checks.knownArgs(args, union(NOISE_TUNNEL_ARGS, CaptumArgs.IG_ARGS));
            NoiseTunnel<IntegratedGradients.Options> nt =
                    new NoiseTunnel<>(
                            new IntegratedGradients(f, CaptumArgs.multiplyByInputs(baseInit)));
            IntegratedGradients.Options inner = CaptumArgs.igOptions(args);
            return (in, t, seed) ->
                    nt.attribute(in, t, options.toBuilder().seed(seed).build(), inner);
        }
        Checks.knownArgs(args, union(NOISE_TUNNEL_ARGS, CaptumArgs.SALIENCY_ARGS));
        NoiseTunnel<Saliency.Options> nt = new NoiseTunnel<>(new Saliency(f));
        Saliency.Options inner = CaptumArgs.saliencyOptions(args);
        return (in, t, seed) -> nt.attribute(in, t, options.toBuilder().seed(seed).build(), inner);
    }

    private static String baseMethod(GoldenCase c) {
        return c.initArgs()
                .object("base")
                .flatMap(b -> b.string("method"))
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "init_args.base.method is required for NoiseTunnel, got"
                                                + " nothing"));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
