package io.github.captum4j.conformance.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import io.github.captum4j.attr.FeatureAblation;
import io.github.captum4j.attr.FeaturePermutation;
import io.github.captum4j.attr.InterpretableModel;
import io.github.captum4j.attr.KernelShap;
import io.github.captum4j.attr.Lime;
import io.github.captum4j.attr.Occlusion;
import io.github.captum4j.attr.ShapleyValueSampling;
import io.github.captum4j.attr.ShapleyValues;
import io.github.captum4j.attr.SkLearnLasso;
import io.github.captum4j.attr.SkLearnLinearRegression;
import io.github.captum4j.attr.SkLearnRidge;
import io.github.captum4j.conformance.cases.CaseArgs;
import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.cases.Tolerance;
import io.github.captum4j.conformance.check.Bound;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.Checks;
import io.github.captum4j.conformance.check.MethodCall;
import io.github.captum4j.conformance.check.MethodFamily;
import io.github.captum4j.conformance.check.Moments;
import io.github.captum4j.conformance.check.Properties;
import io.github.captum4j.conformance.check.Verdict;
import io.github.captum4j.core.Attribution;
import io.github.captum4j.core.ForwardFunction;
import io.github.captum4j.core.Inputs;
import io.github.captum4j.core.Target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The conformance runner's perturbation cases (FeatureAblation, FeaturePermutation, Occlusion,
 * ShapleyValueSampling, ShapleyValues, Lime, KernelShap): builds the method from the case's
 * arguments and checks exact cases against {@code expected}, statistical cases by the property the
 * case records (see {@code src-test-resources/README.md}):
 *
 * <ul>
 *   <li>{@code expected_value_over_permutations}, {@code exact_shapley_enumeration}: the mean of
 *       many seeded runs is within {@link Checks#MEAN_Z} standard errors of the expectation
 *       (KernelShap, biased at finite {@code n_samples}: within the reference's own seed-0 error);
 *   <li>{@code seed_stats}: the mean of our runs matches the recorded mean and our spread the
 *       recorded spread;
 *   <li>ShapleyValueSampling: efficiency of every run, \( \sum \phi = F(x) - F(x') \);
 *   <li>KernelShap on a linear model: every run equals the exact Shapley values;
 *   <li>{@code exact_linear_coefficients_times_input} (Lime / KernelShap with a linear surrogate on
 *       a linear model): every run equals \( w_i (x_i - b_i) \);
 *   <li>{@code captum_test_expected}: the mean of the runs within {@code captum_test_delta} of it.
 * </ul>
 *
 * <p>Lime's {@code init_args.interpretable_model} names Captum's surrogate ({@code SkLearnLasso},
 * {@code SkLearnLinearRegression}, {@code SkLearnRidge}).
 */
public final class PerturbationFamily extends MethodFamily {

    /** Seeded runs averaged by a statistical check. */
    static final int RUNS = 40;

    /** The family of the perturbation methods' cases. */
    public PerturbationFamily() {
        super(
                "perturbation",
                "FeatureAblation",
                "FeaturePermutation",
                "Occlusion",
                "ShapleyValueSampling",
                "ShapleyValues",
                "Lime",
                "KernelShap");
    }

    @Override
    public Set<String> properties() {
        return Set.of(
                "seed_stats",
                Properties.OVER_PERMUTATIONS,
                "exact_shapley_enumeration",
                Properties.EXACT_LINEAR,
                Properties.CAPTUM_TEST_EXPECTED);
    }

    @Override
    public CaseResult evaluate(GoldenCase c, CaseContext ctx) {
        return ctx.eachForm(
                c,
                (form, f, m) -> {
                    Inputs in = Checks.inputs(c, m, false);
                    MethodCall call = build(c, f, m);
                    return c.kind() == GoldenCase.Kind.EXACT
                            ? Checks.exact(c, call, in, m)
                            : statistical(c, call, in, m);
                });
    }

    /**
     * Builds the case's method on a model.
     *
     * @param c the case
     * @param f the model
     * @param m where the feature masks go
     * @return the call
     */
    private static MethodCall build(GoldenCase c, ForwardFunction f, NDManager m) {
        CaseArgs args = c.attributeArgs();
        Checks.knownArgs(c.initArgs(), Set.of("interpretable_model"));
        InterpretableModel surrogate = surrogate(c);
        NDArray[] mask = featureMask(args, m);
        int ppe = args.integer("perturbations_per_eval", 1);
        switch (c.method()) {
            case "FeatureAblation":
                {
                    Checks.knownArgs(args, Set.of("feature_mask", "perturbations_per_eval"));
                    FeatureAblation fa = new FeatureAblation(f);
                    FeatureAblation.Options o =
                            FeatureAblation.Options.builder()
                                    .featureMask(mask)
                                    .perturbationsPerEval(ppe)
                                    .build();
                    return (in, t, seed) -> fa.attribute(in, t, o);
                }
            case "FeaturePermutation":
                {
                    Checks.knownArgs(args, Set.of("feature_mask", "perturbations_per_eval"));
                    FeaturePermutation fp = new FeaturePermutation(f);
                    FeaturePermutation.Options o =
                            FeaturePermutation.Options.builder()
                                    .featureMask(mask)
                                    .perturbationsPerEval(ppe)
                                    .build();
                    return (in, t, seed) -> fp.attribute(in, t, o.toBuilder().seed(seed).build());
                }
            case "Occlusion":
                {
                    Checks.knownArgs(
                            args,
                            Set.of("sliding_window_shapes", "strides", "perturbations_per_eval"));
                    Occlusion occ = new Occlusion(f);
                    Occlusion.Options o =
                            Occlusion.Options.builder()
                                    .slidingWindowShapesPerInput(
                                            shapes(args, "sliding_window_shapes"))
                                    .stridesPerInput(
                                            args.has("strides") ? shapes(args, "strides") : null)
                                    .perturbationsPerEval(ppe)
                                    .build();
                    return (in, t, seed) -> occ.attribute(in, t, o);
                }
            case "ShapleyValueSampling":
                {
                    Checks.knownArgs(
                            args, Set.of("feature_mask", "perturbations_per_eval", "n_samples"));
                    ShapleyValueSampling svs = new ShapleyValueSampling(f);
                    ShapleyValueSampling.Options o =
                            ShapleyValueSampling.Options.builder()
                                    .featureMask(mask)
                                    .perturbationsPerEval(ppe)
                                    .nSamples(
                                            args.integer(
                                                    "n_samples",
                                                    ShapleyValueSampling.Options.DEFAULTS
                                                            .nSamples()))
                                    .build();
                    return (in, t, seed) -> svs.attribute(in, t, o.toBuilder().seed(seed).build());
                }
            case "ShapleyValues":
                {
                    Checks.knownArgs(args, Set.of("feature_mask", "perturbations_per_eval"));
                    ShapleyValues sv = new ShapleyValues(f);
                    ShapleyValues.Options o =
                            ShapleyValues.Options.DEFAULTS
                                    .withFeatureMask(mask)
                                    .withPerturbationsPerEval(ppe);
                    return (in, t, seed) -> sv.attribute(in, t, o);
                }
            case "Lime":
            case "KernelShap":
                {
                    Checks.knownArgs(
                            args,
                            Set.of(
                                    "feature_mask",
                                    "perturbations_per_eval",
                                    "n_samples",
                                    "return_input_shape"));
                    Lime.Options o =
                            Lime.Options.builder()
                                    .featureMask(mask)
                                    .perturbationsPerEval(ppe)
                                    .nSamples(
                                            args.integer(
                                                    "n_samples", Lime.Options.DEFAULTS.nSamples()))
                                    .returnInputShape(args.bool("return_input_shape", true))
                                    .build();
                    if (c.method().equals("Lime")) {
                        Lime lime =
                                new Lime(
                                        f,
                                        surrogate,
                                        Lime.SimilarityFunction.DEFAULT,
                                        Lime.PerturbFunction.DEFAULT);
                        return (in, t, seed) ->
                                lime.attribute(in, t, o.toBuilder().seed(seed).build());
                    }
                    KernelShap ks = new KernelShap(f);
                    return (in, t, seed) -> ks.attribute(in, t, o.toBuilder().seed(seed).build());
                }
            default:
                throw new IllegalArgumentException(
                        "method must be a perturbation method, got " + c.method());
        }
    }

    /**
     * Lime's {@code init_args.interpretable_model} by Captum's class name; Captum's default (and
     * {@code SkLearnLasso} without arguments) is {@code SkLearnLasso(alpha=0.01)}.
     */
    private static InterpretableModel surrogate(GoldenCase c) {
        String name = c.initArgs().string("interpretable_model").orElse("SkLearnLasso");
        switch (name) {
            case "SkLearnLasso":
                return new SkLearnLasso(0.01);
            case "SkLearnLinearRegression":
                return new SkLearnLinearRegression();
            case "SkLearnRidge":
                return new SkLearnRidge();
            default:
                throw new IllegalArgumentException(
                        "init_args.interpretable_model must be SkLearnLasso,"
                                + " SkLearnLinearRegression or SkLearnRidge, got "
                                + name);
        }
    }

    // ---------------------------------------------------------------- statistical

    private static Verdict statistical(GoldenCase c, MethodCall call, Inputs in, NDManager m) {
        Verdict v = new Verdict();
        Target t = c.target();
        int seed0 = c.torchManualSeed().orElse(0);
        boolean any = false;
        if (c.has(Properties.EXACT_LINEAR)) {
            // exact for any draw: check a few seeds one by one
            any = true;
            everyRun(v, c, call, in, c.tensors(Properties.EXACT_LINEAR, m), "w_i (x_i - b_i)");
        }
        boolean linearShap = c.method().equals("KernelShap") && c.model().equals("tabular_linear");
        if (linearShap && c.has("exact_shapley_enumeration")) {
            any = true;
            everyRun(v, c, call, in, c.tensors("exact_shapley_enumeration", m), "exact Shapley");
        }
        boolean sampled = !linearShap && c.has("exact_shapley_enumeration");
        if (!sampled
                && !c.has(Properties.OVER_PERMUTATIONS)
                && !c.has("seed_stats.mean")
                && !c.has(Properties.CAPTUM_TEST_EXPECTED)) {
            if (!any) {
                v.fail("statistical", "the case records no property this runner checks");
            }
            return v;
        }
        Moments[] moments = new Moments[in.size()];
        double[][] sums = new double[RUNS][];
        Tolerance.Result seeded = null;
        for (int r = 0; r < RUNS; r++) {
            try (Attribution a = call.attribute(in, t, seed0 + r)) {
                if (r == 0 && c.has("attributions")) {
                    seeded = Checks.attributions(c, a.attributions(), c.expectedAttributions(m));
                }
                Moments.addAll(moments, a);
                double[] perExample = new double[in.batchSize()];
                for (int i = 0; i < in.size(); i++) {
                    double[] x = Checks.doubles(a.attribution(i));
                    int per = x.length / in.batchSize();
                    for (int j = 0; j < x.length; j++) {
                        perExample[j / per] += x[j];
                    }
                }
                sums[r] = perExample;
            }
        }
        any |= c.has(Properties.OVER_PERMUTATIONS) || c.has(Properties.CAPTUM_TEST_EXPECTED);
        Properties.overPermutations(v, c, moments, RUNS, m);
        Properties.captumTest(v, c, moments, m);
        if (sampled) {
            any = true;
            NDList exact = c.tensors("exact_shapley_enumeration", m);
            if (c.method().equals("ShapleyValueSampling")) {
                v.bound(
                        String.format(
                                Locale.ROOT,
                                "unbiased: mean of %d seeded runs within %.0f SE of the exact"
                                        + " Shapley values",
                                RUNS,
                                Checks.MEAN_Z),
                        Properties.meanBound(c, moments, exact, 0, RUNS, m));
                v.bound(
                        "efficiency: every run sums to f(x) - f(baseline)",
                        efficiency(c, sums, exact));
            } else {
                // KernelShap's regression is biased at finite n_samples: allow the reference's own
                // seed-0 error on top of the standard error.
                double bias = maxAbsDiff(c.expectedAttributions(m), exact);
                v.bound(
                        String.format(
                                Locale.ROOT,
                                "consistent: mean of %d seeded runs within %.0f SE + the"
                                        + " reference's seed-0 error (%.2g) of the exact Shapley"
                                        + " values",
                                RUNS,
                                Checks.MEAN_Z,
                                bias),
                        Properties.meanBound(c, moments, exact, bias, RUNS, m));
            }
        }
        if (c.has("seed_stats.mean") && c.has("seed_stats.std")) {
            any = true;
            Checks.seedStats(v, c, moments, RUNS, "", m);
        }
        if (!any) {
            v.fail("statistical", "the case records no property this runner checks");
        }
        if (seeded != null) {
            v.check(
                    seeded.passed()
                            ? "seed " + seed0 + " reproduces Captum's output"
                            : "seed " + seed0 + " differs from Captum's draw (informational)",
                    true,
                    "");
        }
        return v;
    }

    /** A property that holds for any draw: three seeded runs, each within the case's tolerance. */
    private static void everyRun(
            Verdict v, GoldenCase c, MethodCall call, Inputs in, NDList exact, String what) {
        int seed0 = c.torchManualSeed().orElse(0);
        for (int r = 0; r < 3; r++) {
            try (Attribution a = call.attribute(in, c.target(), seed0 + r)) {
                v.compare(
                        "run (seed " + (seed0 + r) + ") = " + what,
                        Checks.attributions(c, a.attributions(), exact));
            }
        }
    }

    /** Every run's per-example sum equals the exact values' (both are f(x) - f(baseline)). */
    private static Bound efficiency(GoldenCase c, double[][] sums, NDList exact) {
        int batch = sums[0].length;
        double[] gap = new double[batch];
        int elements = 0;
        for (NDArray e : exact) {
            double[] x = Checks.doubles(e);
            int per = x.length / batch;
            elements += per;
            for (int j = 0; j < x.length; j++) {
                gap[j / per] += x[j];
            }
        }
        Bound b = Bound.empty();
        double[] allowed = new double[batch];
        for (int e = 0; e < batch; e++) {
            allowed[e] = c.tolerance().atol() * elements + c.tolerance().rtol() * Math.abs(gap[e]);
        }
        for (double[] run : sums) {
            b = b.and(Bound.check(run, gap, allowed));
        }
        return b;
    }

    private static double maxAbsDiff(NDList a, NDList b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            double[] x = Checks.doubles(a.get(i));
            double[] y = Checks.doubles(b.get(i));
            for (int j = 0; j < x.length; j++) {
                max = Math.max(max, Math.abs(x[j] - y[j]));
            }
        }
        return max;
    }

    // ---------------------------------------------------------------- arguments

    private static NDArray[] featureMask(CaseArgs args, NDManager m) {
        if (!args.has("feature_mask")) {
            return null;
        }
        JsonElement raw = args.raw("feature_mask").orElseThrow();
        NDList masks =
                CaseTensors.isTensor(raw)
                        ? new NDList(CaseTensors.read(raw, m, "attribute_args.feature_mask"))
                        : CaseTensors.readList(raw, m, "attribute_args.feature_mask");
        return masks.toArray(new NDArray[0]);
    }

    /** One shape per input: {@code 2}, {@code [3, 8, 8]} (one input) or {@code [[..], [..]]}. */
    private static List<long[]> shapes(CaseArgs args, String key) {
        JsonElement raw = args.raw(key).orElseThrow();
        List<long[]> out = new ArrayList<>();
        if (raw.isJsonPrimitive()) {
            out.add(new long[] {raw.getAsLong()});
            return out;
        }
        JsonArray a = raw.getAsJsonArray();
        if (a.size() > 0 && a.get(0).isJsonArray()) {
            for (JsonElement e : a) {
                out.add(longs(e.getAsJsonArray()));
            }
        } else {
            out.add(longs(a));
        }
        return out;
    }

    private static long[] longs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
