package io.github.captum4j.examples;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import io.github.captum4j.attr.GradientShap;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;
import io.github.captum4j.core.internal.fixtures.FixtureCase;
import io.github.captum4j.core.internal.fixtures.Tolerance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates one case on one model and checks the result: exact cases against {@code expected}
 * within the case's tolerance; statistical cases by the RNG-independent property the case records
 * (see {@code src-test-resources/README.md}, "statistical" cases). Every check here can fail.
 */
final class CaseChecks {

    /** Standard errors a Monte-Carlo mean may be off its expectation. */
    static final double MEAN_Z = 5.0;

    /** Standard deviations a single seeded draw may be off the seed mean (NoiseTunnel fallback). */
    static final double DRAW_Z = 4.0;

    /** GradientShap: draws per example to aim for when averaging seeded runs. */
    static final int TARGET_DRAWS = 4000;

    /** GradientShap: bounds on the number of seeded runs averaged. */
    static final int MIN_RUNS = 50;

    static final int MAX_RUNS = 250;

    /** Allowed ratio between the spread of our runs and the recorded spread. */
    static final double SPREAD_RATIO_MIN = 0.5;

    static final double SPREAD_RATIO_MAX = 2.0;

    private CaseChecks() {}

    /**
     * Runs a supported case on a model.
     *
     * @param form the form, for the outcome
     * @param c the case
     * @param f the model
     * @param parent manager under which the case's tensors live (freed before returning)
     * @return the outcome
     */
    static FormOutcome evaluate(
            ModelForm form, FixtureCase c, ForwardFunction f, NDManager parent) {
        if (MetricCases.METHODS.contains(c.method())) {
            return MetricCases.evaluate(form, c, f, parent);
        }
        if (PerturbationCases.METHODS.contains(c.method())) {
            return PerturbationCases.evaluate(form, c, f, parent);
        }
        if (LayerCases.METHODS.contains(c.method())) {
            return LayerCases.evaluate(form, c, f, parent);
        }
        if (RuleCases.METHODS.contains(c.method()) && RuleCases.skipReason(f).isPresent()) {
            return FormOutcome.skip(form, RuleCases.skipReason(f).get());
        }
        try (NDManager m = parent.newSubManager()) {
            Inputs in = CaseMethod.inputs(c, m);
            Target target = c.target();
            CaseMethod.Call call = CaseMethod.build(c, f);
            Verdict v;
            if (c.kind() == FixtureCase.Kind.EXACT) {
                v = exact(c, call, in, target, m);
            } else if (c.method().equals("NoiseTunnel")) {
                v = noiseTunnel(c, call, in, target, m);
            } else if (c.method().equals("GradientShap")) {
                v = gradientShap(c, call, in, target, m);
            } else {
                v = new Verdict();
                v.fail("statistical", "no statistical check for " + c.method());
            }
            return v.outcome(form);
        } catch (RuntimeException e) {
            return FormOutcome.error(form, e);
        }
    }

    // ---------------------------------------------------------------- exact

    private static Verdict exact(
            FixtureCase c, CaseMethod.Call call, Inputs in, Target t, NDManager m) {
        Verdict v = new Verdict();
        Integer seed = c.torchManualSeed().orElse(null);
        try (Attribution a = call.attribute(in, t, seed)) {
            v.compare("exact", attributionsResult(c, a, m));
            if (CaseMethod.wantsDelta(c) && c.has("delta")) {
                Optional<NDArray> delta = a.convergenceDelta();
                if (delta.isEmpty()) {
                    v.fail("delta", "no convergence delta returned");
                } else {
                    v.compare("delta", c.tolerance().check(delta.get(), c.tensor("delta", m)));
                }
            }
        }
        return v;
    }

    private static Tolerance.Result attributionsResult(FixtureCase c, Attribution a, NDManager m) {
        NDList expected = c.expectedAttributions(m);
        NDList actual = a.attributions();
        if (actual.size() != expected.size()) {
            return new Tolerance.Result(
                    false,
                    Double.POSITIVE_INFINITY,
                    Double.POSITIVE_INFINITY,
                    1,
                    1,
                    actual.size() + " attribution tensors, expected " + expected.size());
        }
        Tolerance.Result r = Tolerance.Result.empty();
        for (int i = 0; i < expected.size(); i++) {
            Tolerance.Result ri = c.tolerance().check(actual.get(i), expected.get(i));
            if (!ri.passed() && expected.size() > 1) {
                ri = withDetail(ri, "attributions[" + i + "] " + ri.detail());
            }
            r = r.and(ri);
        }
        return r;
    }

    // ---------------------------------------------------------------- NoiseTunnel

    /**
     * Our noise comes from libtorch's generator, drawn as Captum draws it, so with Captum's seed
     * the output should equal the recorded one; if not, each element must at least lie within
     * {@link #DRAW_Z} standard deviations of the seed mean.
     */
    private static Verdict noiseTunnel(
            FixtureCase c, CaseMethod.Call call, Inputs in, Target t, NDManager m) {
        Verdict v = new Verdict();
        int seed = c.torchManualSeed().orElse(0);
        try (Attribution a = call.attribute(in, t, seed)) {
            Tolerance.Result seeded = attributionsResult(c, a, m);
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
            double scale = maxAbs(mean);
            Bound all = Bound.empty();
            for (int i = 0; i < mean.size(); i++) {
                double[] x = doubles(a.attribution(i));
                double[] mu = doubles(mean.get(i));
                double[] sd = doubles(std.get(i));
                double[] allowed = new double[mu.length];
                for (int j = 0; j < mu.length; j++) {
                    // std ~ 0 elements get the case's tolerance plus a sliver of the output scale.
                    allowed[j] =
                            DRAW_Z * sd[j]
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
                            DRAW_Z,
                            nSeeds,
                            seeded.detail()),
                    all);
        }
        return v;
    }

    // ---------------------------------------------------------------- GradientShap

    /**
     * The {@code seed_stats} property of a statistical case: the mean of our {@code runs} seeded
     * runs lies within {@link #MEAN_Z} standard errors of the recorded mean over {@code n_seeds}
     * seeds (both means are estimates) plus the case's tolerance, and, when the record is large
     * enough to say, our spread matches the recorded one.
     *
     * @param v the verdict to add the checks to
     * @param c the case
     * @param moments our runs, one accumulator per attribution tensor
     * @param runs how many runs the moments hold
     * @param label what the mean is claimed to estimate, for the note
     * @param m manager for the reference tensors
     */
    static void seedStats(
            Verdict v, FixtureCase c, Moments[] moments, int runs, String label, NDManager m) {
        NDList mean = c.tensors("seed_stats.mean", m);
        NDList std = c.tensors("seed_stats.std", m);
        double nSeeds = c.number("seed_stats.n_seeds").orElse(1.0);
        Bound b = Bound.empty();
        double ourVar = 0;
        double refVar = 0;
        for (int i = 0; i < mean.size(); i++) {
            double[] mu = doubles(mean.get(i));
            double[] sd = doubles(std.get(i));
            double[] allowed = new double[mu.length];
            for (int j = 0; j < mu.length; j++) {
                allowed[j] =
                        MEAN_Z * sd[j] * Math.sqrt(1 / nSeeds + 1.0 / runs)
                                + c.tolerance().atol()
                                + c.tolerance().rtol() * Math.abs(mu[j]);
                refVar += sd[j] * sd[j];
            }
            ourVar += sum(moments[i].variance());
            b = b.and(Bound.check(moments[i].mean(), mu, allowed));
        }
        v.bound(
                String.format(
                        Locale.ROOT,
                        "%smean of %d seeded runs within %.0f SE of seed_stats mean (n_seeds=%.0f)",
                        label,
                        runs,
                        MEAN_Z,
                        nSeeds),
                b);
        if (refVar > 0 && nSeeds >= 10) {
            v.spread(ourVar, refVar, "seed_stats std");
        }
    }

    /**
     * GradientShap draws baselines and path points with NumPy in Captum, so its output cannot be
     * reproduced; instead the mean of many seeded runs is checked against the expectation the case
     * records, their spread against the recorded spread, and completeness.
     */
    private static Verdict gradientShap(
            FixtureCase c, CaseMethod.Call call, Inputs in, Target t, NDManager m) {
        Verdict v = new Verdict();
        int n = c.attributeArgs().integer("n_samples", GradientShap.Options.DEFAULTS.nSamples());
        int runs = Math.min(MAX_RUNS, Math.max(MIN_RUNS, (TARGET_DRAWS + n - 1) / n));
        long draws = (long) runs * n;
        int seed0 = c.torchManualSeed().orElse(0);
        boolean wantDelta = CaseMethod.wantsDelta(c);
        int batch = in.batchSize();
        Moments[] moments = new Moments[in.size()];
        double[] deltaSum = new double[batch];
        String deltaProblem = null;
        for (int r = 0; r < runs; r++) {
            try (Attribution a = call.attribute(in, t, seed0 + r)) {
                for (int i = 0; i < in.size(); i++) {
                    double[] x = doubles(a.attribution(i));
                    if (moments[i] == null) {
                        moments[i] = new Moments(x.length);
                    }
                    moments[i].add(x);
                }
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
                        double[] dv = doubles(d.get());
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
                    double[] ref = doubles(refs.get(i));
                    double[] sig = doubles(sigmaSingle.get(i));
                    double[] mean = moments[i].mean();
                    double[] allowed = new double[ref.length];
                    for (int j = 0; j < ref.length; j++) {
                        allowed[j] =
                                MEAN_Z * sig[j] / Math.sqrt(draws)
                                        + c.tolerance().atol()
                                        + c.tolerance().rtol() * Math.abs(ref[j]);
                        refVar += sig[j] * sig[j] / n;
                    }
                    ourVar += sum(moments[i].variance());
                    b = b.and(Bound.check(mean, ref, allowed));
                }
                v.bound(
                        String.format(
                                Locale.ROOT,
                                "E[GS]=IG: mean of %d seeded runs (%d draws) within %.0f SE of"
                                        + " integrated_gradients_reference",
                                runs,
                                draws,
                                MEAN_Z),
                        b);
                v.spread(ourVar, refVar, "many_sample_stderr");
            }
        }
        if (c.has("seed_stats.mean") && c.has("seed_stats.std")) {
            any = true;
            seedStats(v, c, moments, runs, "E[GS]=seed_stats mean: ", m);
        }
        if (c.has("f_x_minus_f_baseline")) {
            any = true;
            double[] gap = doubles(c.tensor("f_x_minus_f_baseline", m));
            double[] total = new double[batch];
            double[] allowed = new double[batch];
            for (int i = 0; i < moments.length; i++) {
                double[] mean = moments[i].mean();
                double[] spread =
                        sigmaSingle != null
                                ? doubles(sigmaSingle.get(i))
                                : moments[i].stdTimesSqrtN(n);
                int per = mean.length / batch;
                for (int e = 0; e < batch; e++) {
                    for (int j = 0; j < per; j++) {
                        total[e] += mean[e * per + j];
                        // std of a sum <= sum of stds
                        allowed[e] +=
                                MEAN_Z * spread[e * per + j] / Math.sqrt(draws)
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
                v.check("delta identity", d.passed, "mean delta vs sum - gap: " + d.detail);
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

    // ---------------------------------------------------------------- helpers

    static double[] doubles(NDArray a) {
        if (a.getDataType() == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        try (NDArray d = a.toType(DataType.FLOAT64, true)) {
            return d.toDoubleArray();
        }
    }

    private static double maxAbs(NDList arrays) {
        double max = 0;
        for (NDArray a : arrays) {
            for (double x : doubles(a)) {
                max = Math.max(max, Math.abs(x));
            }
        }
        return max;
    }

    private static double sum(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s;
    }

    private static Tolerance.Result withDetail(Tolerance.Result r, String detail) {
        return new Tolerance.Result(
                r.passed(), r.maxAbsError(), r.maxRelError(), r.failures(), r.elements(), detail);
    }

    /** Running mean and variance of per-run values, elementwise. */
    static final class Moments {
        private final double[] sum;
        private final double[] sumSq;
        private int count;

        Moments(int size) {
            sum = new double[size];
            sumSq = new double[size];
        }

        void add(double[] x) {
            if (x.length != sum.length) {
                throw new IllegalStateException(
                        "attribution size changed between runs: "
                                + sum.length
                                + " then "
                                + x.length);
            }
            for (int i = 0; i < x.length; i++) {
                sum[i] += x[i];
                sumSq[i] += x[i] * x[i];
            }
            count++;
        }

        double[] mean() {
            double[] out = new double[sum.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = sum[i] / count;
            }
            return out;
        }

        /** Unbiased variance of one run's value. */
        double[] variance() {
            double[] out = new double[sum.length];
            for (int i = 0; i < out.length; i++) {
                double mu = sum[i] / count;
                out[i] = count > 1 ? Math.max(0, (sumSq[i] - count * mu * mu) / (count - 1)) : 0;
            }
            return out;
        }

        /** Per-draw standard deviation implied by runs that each average {@code n} draws. */
        double[] stdTimesSqrtN(int n) {
            double[] var = variance();
            double[] out = new double[var.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.sqrt(var[i] * n);
            }
            return out;
        }
    }

    /** An elementwise bound |actual - reference| <= allowed. */
    static final class Bound {
        final boolean passed;
        final double maxAbs;
        final double maxRel;
        final String detail;

        private Bound(boolean passed, double maxAbs, double maxRel, String detail) {
            this.passed = passed;
            this.maxAbs = maxAbs;
            this.maxRel = maxRel;
            this.detail = detail;
        }

        static Bound empty() {
            return new Bound(true, 0, 0, "");
        }

        static Bound check(double[] actual, double[] reference, double[] allowed) {
            if (actual.length != reference.length) {
                return new Bound(
                        false,
                        Double.POSITIVE_INFINITY,
                        Double.POSITIVE_INFINITY,
                        actual.length + " values, reference has " + reference.length);
            }
            boolean ok = true;
            double maxAbs = 0;
            double maxRel = 0;
            double worstRatio = -1;
            int worst = -1;
            int failures = 0;
            for (int i = 0; i < actual.length; i++) {
                double abs = Math.abs(actual[i] - reference[i]);
                if (Double.isNaN(abs)) {
                    abs = Double.POSITIVE_INFINITY;
                }
                boolean in = abs <= allowed[i];
                ok &= in;
                failures += in ? 0 : 1;
                maxAbs = Math.max(maxAbs, abs);
                if (abs > 0 && reference[i] != 0) {
                    maxRel = Math.max(maxRel, abs / Math.abs(reference[i]));
                }
                double ratio =
                        allowed[i] > 0 ? abs / allowed[i] : abs > 0 ? Double.POSITIVE_INFINITY : 0;
                if (ratio > worstRatio) {
                    worstRatio = ratio;
                    worst = i;
                }
            }
            String detail =
                    worst < 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%d/%d outside; worst at %d: %.4g vs %.4g (allowed +-%.3g)",
                                    failures,
                                    actual.length,
                                    worst,
                                    actual[worst],
                                    reference[worst],
                                    allowed[worst]);
            return new Bound(ok, maxAbs, maxRel, detail);
        }

        Bound and(Bound o) {
            String d =
                    !passed ? detail : !o.passed ? o.detail : o.maxAbs > maxAbs ? o.detail : detail;
            return new Bound(
                    passed && o.passed, Math.max(maxAbs, o.maxAbs), Math.max(maxRel, o.maxRel), d);
        }
    }

    /** Collects the checks of one form: passes only if every check passes. */
    static final class Verdict {
        private boolean passed = true;
        private double maxAbs = Double.NaN;
        private double maxRel = Double.NaN;
        private final List<String> passedChecks = new ArrayList<>();
        private final List<String> failedChecks = new ArrayList<>();

        void compare(String property, Tolerance.Result r) {
            errors(r.maxAbsError(), r.maxRelError());
            check(property, r.passed(), r.passed() ? "" : r.toString());
        }

        void bound(String property, Bound b) {
            errors(b.maxAbs, b.maxRel);
            check(property, b.passed, b.detail);
        }

        void spread(double ourVariance, double referenceVariance, String reference) {
            if (referenceVariance <= 0) {
                check(
                        "spread",
                        ourVariance <= 1e-12,
                        "recorded spread is 0, ours " + Math.sqrt(ourVariance));
                return;
            }
            double ratio = Math.sqrt(ourVariance / referenceVariance);
            check(
                    String.format(Locale.ROOT, "spread ratio %.2f vs %s", ratio, reference),
                    ratio >= SPREAD_RATIO_MIN && ratio <= SPREAD_RATIO_MAX,
                    String.format(
                            Locale.ROOT,
                            "outside [%.1f, %.1f]",
                            SPREAD_RATIO_MIN,
                            SPREAD_RATIO_MAX));
        }

        void check(String property, boolean ok, String detail) {
            if (ok) {
                passedChecks.add(property);
            } else {
                passed = false;
                failedChecks.add(property + " FAILED: " + detail);
            }
        }

        void fail(String property, String detail) {
            check(property, false, detail);
        }

        private void errors(double abs, double rel) {
            maxAbs = Double.isNaN(maxAbs) ? abs : Math.max(maxAbs, abs);
            maxRel = Double.isNaN(maxRel) ? rel : Math.max(maxRel, rel);
        }

        FormOutcome outcome(ModelForm form) {
            List<String> parts = new ArrayList<>(failedChecks);
            parts.addAll(passedChecks);
            return new FormOutcome(
                    form,
                    passed ? CaseResult.Status.PASS : CaseResult.Status.FAIL,
                    maxAbs,
                    maxRel,
                    String.join("; ", parts));
        }
    }
}
