package io.github.captum4j.conformance.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.CaseBaselines;
import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.Baselines;
import io.github.captum4j.core.Inputs;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The checks every family shares, each written once: the case's inputs, the exact comparison of
 * attributions and convergence delta within the case's tolerance, the {@code seed_stats} check of a
 * statistical case, and the rejection of arguments a family would silently ignore. See {@code
 * src-test-resources/README.md} for what each property of a case means. Every check here can fail.
 */
public final class Checks {

    /** Standard errors a Monte-Carlo mean may be off its expectation. */
    public static final double MEAN_Z = 5.0;

    /** Standard deviations a single seeded draw may be off the seed mean. */
    public static final double DRAW_Z = 4.0;

    private Checks() {}

    /**
     * The case's inputs, baselines and additional forward arguments.
     *
     * @param c the case
     * @param manager where the tensors go
     * @param distribution whether tensor baselines are a distribution to draw reference rows from
     *     (GradientShap) rather than one baseline per input
     * @return the inputs
     */
    public static Inputs inputs(GoldenCase c, NDManager manager, boolean distribution) {
        NDList x = c.inputs(manager);
        CaseBaselines b = c.baselines(manager);
        Baselines baselines;
        switch (b.form()) {
            case NONE:
                baselines = Baselines.zeros();
                break;
            case NUMBER:
                baselines = Baselines.scalar(((Double) b.values().get(0)).floatValue());
                break;
            case TENSOR:
                NDArray t = (NDArray) b.values().get(0);
                baselines = distribution ? Baselines.distribution(t) : Baselines.tensors(t);
                break;
            default:
                if (distribution && b.allTensors()) {
                    baselines = Baselines.distribution(b.values().toArray(new NDArray[0]));
                } else {
                    baselines = Baselines.perInput(b.values().toArray());
                }
                break;
        }
        return Inputs.of(x)
                .withBaselines(baselines)
                .withAdditionalArgs(c.additionalForwardArgs(manager));
    }

    /**
     * Whether the case asks for the convergence delta.
     *
     * @param c the case
     * @return {@code attribute_args.return_convergence_delta}
     */
    public static boolean wantsDelta(GoldenCase c) {
        return c.attributeArgs().bool("return_convergence_delta", false);
    }

    /**
     * The exact check: attributions against {@code expected.attributions}, and the delta against
     * {@code expected.delta} when the case asks for it, within the case's tolerance; and {@code
     * captum_test_expected} where the case records it.
     *
     * @param c the case
     * @param a our attribution
     * @param m manager for the reference tensors
     * @return the verdict ("exact", "delta")
     */
    public static Verdict exact(GoldenCase c, Attribution a, NDManager m) {
        Verdict v = new Verdict();
        v.compare("exact", attributions(c, a.attributions(), c.expectedAttributions(m)));
        Properties.captumTest(v, c, a.attributions(), m);
        if (wantsDelta(c) && c.has("delta")) {
            Optional<NDArray> delta = a.convergenceDelta();
            if (delta.isEmpty()) {
                v.fail("delta", "no convergence delta returned");
            } else {
                v.compare("delta", c.tolerance().check(delta.get(), c.tensor("delta", m)));
            }
        }
        return v;
    }

    /**
     * Calls the method once (with the case's {@code torch_manual_seed}, if any) and applies the
     * {@link #exact(GoldenCase, Attribution, NDManager) exact check}; a statistical case fails,
     * since the family has no statistical check for it.
     *
     * @param c the case
     * @param call the case's method
     * @param in the case's inputs
     * @param m manager for the reference tensors
     * @return the verdict
     */
    public static Verdict exact(GoldenCase c, MethodCall call, Inputs in, NDManager m) {
        return exact(c, call, in, m, (v, a) -> {});
    }

    /**
     * {@link #exact(GoldenCase, MethodCall, Inputs, NDManager)} with more comparisons on the same
     * attribution (e.g. GradCAM's upsampled maps).
     *
     * @param c the case
     * @param call the case's method
     * @param in the case's inputs
     * @param m manager for the reference tensors
     * @param more adds checks of the attribution to the verdict
     * @return the verdict
     */
    public static Verdict exact(
            GoldenCase c,
            MethodCall call,
            Inputs in,
            NDManager m,
            BiConsumer<Verdict, Attribution> more) {
        if (c.kind() != GoldenCase.Kind.EXACT) {
            Verdict v = new Verdict();
            v.fail("statistical", "no statistical check for " + c.method());
            return v;
        }
        try (Attribution a = call.attribute(in, c.target(), c.torchManualSeed().orElse(null))) {
            Verdict v = exact(c, a, m);
            more.accept(v, a);
            return v;
        }
    }

    /**
     * Compares lists of tensors within the case's tolerance.
     *
     * @param c the case
     * @param actual our tensors
     * @param expected the reference tensors
     * @return the combined comparison (a failure if the counts differ)
     */
    public static Tolerance.Result attributions(GoldenCase c, NDList actual, NDList expected) {
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
                ri =
                        new Tolerance.Result(
                                ri.passed(),
                                ri.maxAbsError(),
                                ri.maxRelError(),
                                ri.failures(),
                                ri.elements(),
                                "attributions[" + i + "] " + ri.detail());
            }
            r = r.and(ri);
        }
        return r;
    }

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
    public static void seedStats(
            Verdict v, GoldenCase c, Moments[] moments, int runs, String label, NDManager m) {
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
     * The mean of {@code runs} seeded calls (seeds from the case's {@code torch_manual_seed}, else
     * 0, upwards) checked against the case's {@code seed_stats} by {@link #seedStats}, and against
     * {@code expected_value_over_permutations} and {@code captum_test_expected} where recorded.
     *
     * @param c the case, with {@code seed_stats}
     * @param call the case's method
     * @param in the case's inputs
     * @param runs how many seeded calls
     * @param m manager for the reference tensors
     * @return the verdict
     */
    public static Verdict seedMean(
            GoldenCase c, MethodCall call, Inputs in, int runs, NDManager m) {
        Verdict v = new Verdict();
        if (!c.has("seed_stats.mean") || !c.has("seed_stats.std")) {
            v.fail("statistical", "the case records no seed_stats");
            return v;
        }
        int seed0 = c.torchManualSeed().orElse(0);
        Moments[] moments = new Moments[c.tensors("seed_stats.mean", m).size()];
        for (int r = 0; r < runs; r++) {
            try (Attribution a = call.attribute(in, c.target(), seed0 + r)) {
                Moments.addAll(moments, a);
            }
        }
        seedStats(v, c, moments, runs, "", m);
        Properties.overPermutations(v, c, moments, runs, m);
        Properties.captumTest(v, c, moments, m);
        return v;
    }

    /**
     * Rejects an argument the family would silently ignore (so it cannot let a case pass). {@code
     * target} is always allowed.
     *
     * @param args the arguments ({@code attribute_args} or {@code init_args})
     * @param known the keys the family reads
     * @throws IllegalArgumentException naming the first unknown key
     */
    public static void knownArgs(CaseArgs args, Set<String> known) {
        for (String key : args.keys()) {
            if (!key.equals("target") && !known.contains(key)) {
                throw new IllegalArgumentException(
                        args.path()
                                + "."
                                + key
                                + " is not handled by the conformance runner (it knows "
                                + new TreeSet<>(known)
                                + ")");
            }
        }
    }

    /**
     * An array's values as doubles.
     *
     * @param a the array
     * @return its values, row-major
     */
    public static double[] doubles(NDArray a) {
        return CaseTensors.doubles(a);
    }

    /**
     * A list of numbers as an array.
     *
     * @param values the numbers
     * @return the array
     */
    public static double[] doubles(List<Double> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * Arrays joined end to end.
     *
     * @param parts the arrays, in order
     * @return one array of all their values
     */
    public static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The sum of the values.
     *
     * @param x the values
     * @return their sum
     */
    public static double sum(double[] x) {
        double s = 0;
        for (double d : x) {
            s += d;
        }
        return s;
    }

    /**
     * The largest absolute value over arrays.
     *
     * @param arrays the arrays
     * @return the largest |x|
     */
    public static double maxAbs(NDList arrays) {
        double max = 0;
        for (NDArray a : arrays) {
            for (double x : doubles(a)) {
                max = Math.max(max, Math.abs(x));
            }
        }
        return max;
    }
}
