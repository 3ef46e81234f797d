package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.Bound;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.conformance.check.Moments;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * GradientShap. Captum draws its baselines and path points with NumPy, so a statistical case is
 * checked by what the case records: the mean of many seeded runs against {@code
 * integrated_gradients_reference} (E[GS] = IG) or {@code seed_stats}, their spread against the
 * recorded spread, and completeness against {@code f_x_minus_f_baseline}.
 */
public final class GradientShapFamily extends MethodFamily {

    /** Draws per example to aim for when averaging seeded runs. */
    static final int TARGET_DRAWS = 4000;

    /** Bounds on the number of seeded runs averaged. */
    static final int MIN_RUNS = 50;

    static final int MAX_RUNS = 250;

    private static final Set<String> ARGS =
            Set.of("n_samples", "stdevs", "return_convergence_delta");

    /** The family of GradientShap cases. */
    public GradientShapFamily() {
        super("gradient_shap", "GradientShap");
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "seed_stats",
                "integrated_gradients_reference",
                "many_sample_mean",
                "many_sample_stderr",
                "f_x_minus_f_baseline");
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(
                c,
                (form, f, m) -> {
                    Inputs in = Checks.inputs(c, m, true);
                    MethodCall call = build(c, f);
                    return c.kind() == GoldenCase.Kind.EXACT
                            ? Checks.exact(c, call, in, m)
                            : gradientShap(c, call, in, c.target(), m);
                });
    }

    private static MethodCall build(GoldenCase c, ForwardFunction f) {
        CaseArgs args = c.attributeArgs();
        Checks.knownArgs(args, ARGS);
        GradientShap gs = new GradientShap(f, CaptumArgs.multiplyByInputs(c.initArgs()));
        GradientShap.Options.Builder o =
                CaptumArgs.samplingArgs(args, GradientShap.Options.builder());
        GradientShap.Options options = o.returnConvergenceDelta(Checks.wantsDelta(c)).build();
        return (in, t, seed) -> gs.attribute(in, t, options.toBuilder().seed(seed).build());
    }

    /**
     * GradientShap draws baselines and path points with NumPy in Captum, so its output cannot be
     * reproduced; instead the mean of many seeded runs is checked against the expectation the case
     * records, their spread against the recorded spread, and completeness.
     */
    private static Verdict gradientShap(
            GoldenCase c, MethodCall call, Inputs in, Target t, NDManager m) {
        Verdict v = new Verdict();
        int n = c.attributeArgs().integer("n_samples", GradientShap.Options.DEFAULTS.nSamples());
        int runs = Math.min(MAX_RUNS, Math.max(MIN_RUNS, (TARGET_DRAWS + n - 1) / n));
        long draws = (long) runs * n;
        int seed0 = c.torchManualSeed().orElse(0);
        boolean wantDelta = Checks.wantsDelta(c);
        int batch = in.batchSize();
        Moments[] moments = new Moments[in.size()];
        double[] deltaSum = new double[batch];
        String deltaProblem = null;
        for (int r = 0; r < runs; r++) {
            try (Attribution a = call.attribute(in, t, seed0 + r)) {
                Moments.addAll(moments, a);
                if (wantDelta) {
                    Optional<NDArray> d = a.convergenceDelta();
                    if (d.isEmpty()) {
                        deltaProblem = "no convergence delta returned";
                    } else if (d.get().getShape().size() != (long) batch * n) {
                        deltaProblem =
                                "delta has shape "
                                        + d.get().getShape()
                                        + ", expected ("
                                        + batch * n
                                        + ")";
                    } else {
                        double[] dv = Checks.doubles(d.get());
                        for (int e = 0; e < batch; e++) {
                            for (int s = 0; s < n; s++) {
                                deltaSum[e] += dv[e * n + s] / n;
                            }
                        }
                    }
                }
            }
        }
        NDList refs = null;
        NDList sigmaSingle = null; // per-draw standard deviation, per element
        boolean any = false;
        if (c.has("integrated_gradients_reference")) {
            any = true;
            refs = c.tensors("integrated_gradients_reference", m);
            if (c.has("many_sample_stderr") && c.number("many_sample_n").isPresent()) {
                double nMany = c.number("many_sample_n").get();
                sigmaSingle = new NDList();
                for (NDArray se : c.tensors("many_sample_stderr", m)) {
                    sigmaSingle.add(se.toType(DataType.FLOAT64, false).mul(Math.sqrt(nMany)));
                }
            } else {
                v.fail("E[GS]=IG", "integrated_gradients_reference without many_sample_stderr/_n");
            }
            if (sigmaSingle != null) {
                Bound b = Bound.empty();
                double ourVar = 0;
                double refVar = 0;
                for (int i = 0; i < refs.size(); i++) {
                    double[] ref = Checks.doubles(refs.get(i));
                    double[] sig = Checks.doubles(sigmaSingle.get(i));
                    double[] mean = moments[i].mean();
                    double[] allowed = new double[ref.length];
                    for (int j = 0; j < ref.length; j++) {
                        allowed[j] =
                                Checks.MEAN_Z * sig[j] / Math.sqrt(draws)
                                        + c.tolerance().atol()
                                        + c.tolerance().rtol() * Math.abs(ref[j]);
                        refVar += sig[j] * sig[j] / n;
                    }
                    ourVar += Checks.sum(moments[i].variance());
                    b = b.and(Bound.check(mean, ref, allowed));
                }
                v.bound(
                        String.format(
                                Locale.ROOT,
                                "E[GS]=IG: mean of %d seeded runs (%d draws) within %.0f SE of"
                                        + " integrated_gradients_reference",
                                runs,
                                draws,
                                Checks.MEAN_Z),
                        b);
                v.spread(ourVar, refVar, "many_sample_stderr");
            }
        }
        if (c.has("seed_stats.mean") && c.has("seed_stats.std")) {
            any = true;
            Checks.seedStats(v, c, moments, runs, "E[GS]=seed_stats mean: ", m);
        }
        if (c.has("f_x_minus_f_baseline")) {
            any = true;
            double[] gap = Checks.doubles(c.tensor("f_x_minus_f_baseline", m));
            double[] total = new double[batch];
            double[] allowed = new double[batch];
            for (int i = 0; i < moments.length; i++) {
                double[] mean = moments[i].mean();
                double[] spread =
                        sigmaSingle != null
                                ? Checks.doubles(sigmaSingle.get(i))
                                : moments[i].stdTimesSqrtN(n);
                int per = mean.length / batch;
                for (int e = 0; e < batch; e++) {
                    for (int j = 0; j < per; j++) {
                        total[e] += mean[e * per + j];
                        // std of a sum <= sum of stds
                        allowed[e] +=
                                Checks.MEAN_Z * spread[e * per + j] / Math.sqrt(draws)
                                        + c.tolerance().atol();
                    }
                }
            }
            for (int e = 0; e < batch; e++) {
                allowed[e] += c.tolerance().rtol() * Math.abs(gap[e]);
            }
            v.bound(
                    "completeness: sum(mean attributions) = f(x)-f(baseline)",
                    Bound.check(total, gap, allowed));
            if (wantDelta && deltaProblem == null) {
                // Each draw's delta is sum(attributions) - (f(x) - f(baseline)): averaged over the
                // same draws it must equal our total minus the recorded gap, up to float rounding.
                double[] meanDelta = new double[batch];
                double[] expectedDelta = new double[batch];
                double[] tol = new double[batch];
                for (int e = 0; e < batch; e++) {
                    meanDelta[e] = deltaSum[e] / runs;
                    expectedDelta[e] = total[e] - gap[e];
                    tol[e] =
                            1e-4 * (Math.abs(gap[e]) + Math.abs(total[e]))
                                    + c.tolerance().atol() * 10;
                }
                Bound d = Bound.check(meanDelta, expectedDelta, tol);
                v.check("delta identity", d.passed(), "mean delta vs sum - gap: " + d.detail());
            }
        }
        if (wantDelta && deltaProblem != null) {
            v.fail("delta", deltaProblem);
        }
        if (!any) {
            v.fail("statistical", "the case records no property this runner checks");
        }
        return v;
    }
}
