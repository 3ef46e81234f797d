package io.github.captum4j.conformance.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.captum4j.conformance.cases.CaseTensors;
import io.github.captum4j.conformance.cases.GoldenCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties a case records beside its {@code expected} outputs (see {@code
 * src-test-resources/README.md}, "statistical cases" and "extras"), and the checks of those that
 * several families share. A family names the properties it checks ({@link
 * CaseFamily#properties()}); the runner fails a statistical case that records any other, naming it,
 * so a property this runner does not know can never let a case pass unchecked.
 */
public final class Properties {

    /** Top-level keys of the case format (inputs and arguments of every family), not properties. */
    static final Set<String> FORMAT_KEYS =
            Set.of(
                    "case",
                    "model",
                    "method",
                    "init_args",
                    "attribute_args",
                    "target_kind",
                    "inputs",
                    "baselines",
                    "additional_forward_args",
                    "expected",
                    "tolerance",
                    "kind",
                    "notes",
                    "captum_version",
                    "family",
                    "torch_manual_seed",
                    "perturb_func_definition",
                    "explanation",
                    "attributions_input",
                    "attack",
                    "evaluate_args",
                    "forward_func",
                    "perturb_args",
                    "attacks",
                    "evaluations",
                    "checkpoints",
                    "train_inputs",
                    "train_labels",
                    "test_inputs",
                    "test_labels",
                    "k",
                    "concepts",
                    "experimental_sets",
                    "interpret_args",
                    "tokenizer",
                    "input");

    /** Keys of {@code expected} that are outputs compared by the families, not properties. */
    static final Set<String> OUTPUT_KEYS =
            Set.of(
                    "attributions",
                    "delta",
                    "score",
                    "perturbed",
                    "min_param",
                    "summary",
                    "seq_attr",
                    "token_attr",
                    "input_tokens",
                    "output_tokens",
                    "target_token_ids",
                    "model_input_ids",
                    "unperturbed_log_probs",
                    "generated_token_ids",
                    "influence",
                    "influence_aggregate",
                    "proponents",
                    "opponents",
                    "self_influence_train",
                    "self_influence_test",
                    "influences",
                    "scores",
                    "cavs");

    /** Keys that qualify another property (its size, tolerance or source), not properties. */
    static final Set<String> QUALIFIERS =
            Set.of("captum_test_delta", "captum_test_source", "many_sample_n");

    /** Literal expectation of Captum's own unit test, with {@link #CAPTUM_TEST_DELTA}. */
    public static final String CAPTUM_TEST_EXPECTED = "captum_test_expected";

    /** Absolute tolerance of {@link #CAPTUM_TEST_EXPECTED}. */
    public static final String CAPTUM_TEST_DELTA = "captum_test_delta";

    /** Lime / KernelShap with a linear surrogate on a linear model: exact for any draw. */
    public static final String EXACT_LINEAR = "exact_linear_coefficients_times_input";

    /** FeaturePermutation's expectation over the non-identity batch permutations. */
    public static final String OVER_PERMUTATIONS = "expected_value_over_permutations";

    private Properties() {}

    /**
     * The properties a case records: top-level keys outside the format, and keys of {@code
     * expected} that are not outputs ({@code interpolated_*} maps are outputs).
     *
     * @param c the case
     * @return the property names, sorted
     */
    public static Set<String> of(GoldenCase c) {
        JsonObject root = c.json();
        Set<String> out = new TreeSet<>();
        for (String key : root.keySet()) {
            if (!FORMAT_KEYS.contains(key) && !QUALIFIERS.contains(key)) {
                out.add(key);
            }
        }
        JsonElement expected = root.get("expected");
        if (expected != null && expected.isJsonObject()) {
            for (String key : expected.getAsJsonObject().keySet()) {
                if (!OUTPUT_KEYS.contains(key)
                        && !QUALIFIERS.contains(key)
                        && !key.startsWith("interpolated_")) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    /**
     * The properties of a statistical case that a family does not check (empty for exact cases,
     * whose {@code expected} is the check).
     *
     * @param c the case
     * @param family the family evaluating it
     * @return the unchecked property names, sorted
     */
    public static Set<String> unchecked(GoldenCase c, CaseFamily family) {
        Set<String> out = new TreeSet<>();
        if (c.kind() != GoldenCase.Kind.STATISTICAL) {
            return out;
        }
        for (String p : of(c)) {
            if (!family.properties().contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * {@code captum_test_expected} + {@code captum_test_delta}: every element of ours within the
     * delta of the literal expectation of Captum's unit test (a tensor, a list of tensors, or
     * nested lists of numbers compared with our attributions flattened in input order). Adds
     * nothing when the case has no such property.
     *
     * @param v the verdict
     * @param c the case
     * @param ours our attributions (or the mean of seeded runs), flattened per tensor
     * @param m manager for the reference tensors
     */
    public static void captumTest(Verdict v, GoldenCase c, List<double[]> ours, NDManager m) {
        JsonElement expected = lookup(c, CAPTUM_TEST_EXPECTED);
        if (expected == null) {
            return;
        }
        JsonElement delta = lookup(c, CAPTUM_TEST_DELTA);
        if (delta == null || !delta.isJsonPrimitive()) {
            v.fail(CAPTUM_TEST_EXPECTED, "the case records no numeric " + CAPTUM_TEST_DELTA);
            return;
        }
        double[] reference = flatten(expected, m);
        double[] actual = Checks.concat(ours);
        double[] allowed = new double[reference.length];
        java.util.Arrays.fill(allowed, delta.getAsDouble());
        v.bound(
                String.format(
                        Locale.ROOT,
                        "within captum_test_delta %.3g of Captum's unit-test expectation",
                        delta.getAsDouble()),
                Bound.check(actual, reference, allowed));
    }

    /**
     * {@link #captumTest} of one attribution's tensors.
     *
     * @param v the verdict
     * @param c the case
     * @param ours our attributions
     * @param m manager for the reference tensors
     */
    public static void captumTest(Verdict v, GoldenCase c, NDList ours, NDManager m) {
        if (lookup(c, CAPTUM_TEST_EXPECTED) == null) {
            return;
        }
        List<double[]> values = new ArrayList<>();
        for (NDArray a : ours) {
            values.add(Checks.doubles(a));
        }
        captumTest(v, c, values, m);
    }

    /**
     * {@link #captumTest} of the mean of seeded runs.
     *
     * @param v the verdict
     * @param c the case
     * @param moments the runs, one accumulator per attribution tensor
     * @param m manager for the reference tensors
     */
    public static void captumTest(Verdict v, GoldenCase c, Moments[] moments, NDManager m) {
        List<double[]> means = new ArrayList<>();
        for (Moments mo : moments) {
            means.add(mo.mean());
        }
        captumTest(v, c, means, m);
    }

    /**
     * {@code expected_value_over_permutations}: the mean of {@code runs} seeded runs within {@link
     * Checks#MEAN_Z} standard errors (from {@code seed_stats.std}, else our own spread) plus the
     * case's tolerance. Adds nothing when the case has no such property.
     *
     * @param v the verdict
     * @param c the case
     * @param moments the runs, one accumulator per attribution tensor
     * @param runs how many runs the moments hold
     * @param m manager for the reference tensors
     */
    public static void overPermutations(
            Verdict v, GoldenCase c, Moments[] moments, int runs, NDManager m) {
        if (!c.has(OVER_PERMUTATIONS)) {
            return;
        }
        v.bound(
                String.format(
                        Locale.ROOT,
                        "E[FP]: mean of %d seeded runs within %.0f SE of %s",
                        runs,
                        Checks.MEAN_Z,
                        OVER_PERMUTATIONS),
                meanBound(c, moments, c.tensors(OVER_PERMUTATIONS, m), 0, runs, m));
    }

    /**
     * The mean of seeded runs against a reference, allowing {@link Checks#MEAN_Z} standard errors
     * (from {@code seed_stats.std}, else our own spread), a bias and the case's tolerance.
     *
     * @param c the case
     * @param moments the runs
     * @param reference the expectation, one tensor per attribution tensor
     * @param bias an absolute allowance on top
     * @param runs how many runs the moments hold
     * @param m manager for the reference tensors
     * @return the bound
     */
    public static Bound meanBound(
            GoldenCase c, Moments[] moments, NDList reference, double bias, int runs, NDManager m) {
        NDList std = c.has("seed_stats.std") ? c.tensors("seed_stats.std", m) : null;
        Bound b = Bound.empty();
        for (int i = 0; i < reference.size(); i++) {
            double[] ref = Checks.doubles(reference.get(i));
            double[] sd = std != null ? Checks.doubles(std.get(i)) : sqrt(moments[i].variance());
            double[] allowed = new double[ref.length];
            for (int j = 0; j < ref.length; j++) {
                allowed[j] =
                        Checks.MEAN_Z * sd[j] / Math.sqrt(runs)
                                + bias
                                + c.tolerance().atol()
                                + c.tolerance().rtol() * Math.abs(ref[j]);
            }
            b = b.and(Bound.check(moments[i].mean(), ref, allowed));
        }
        return b;
    }

    private static double[] sqrt(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.sqrt(v[i]);
        }
        return out;
    }

    private static JsonElement lookup(GoldenCase c, String key) {
        JsonObject root = c.json();
        JsonElement expected = root.get("expected");
        if (expected != null && expected.isJsonObject()) {
            JsonElement e = expected.getAsJsonObject().get(key);
            if (e != null && !e.isJsonNull()) {
                return e;
            }
        }
        JsonElement top = root.get(key);
        return top == null || top.isJsonNull() ? null : top;
    }

    /** A tensor, a list of tensors, or nested lists of numbers, flattened in order. */
    private static double[] flatten(JsonElement e, NDManager m) {
        List<double[]> parts = new ArrayList<>();
        collect(e, m, parts);
        return Checks.concat(parts);
    }

    private static void collect(JsonElement e, NDManager m, List<double[]> parts) {
        if (CaseTensors.isTensor(e)) {
            parts.add(Checks.doubles(CaseTensors.read(e, m, CAPTUM_TEST_EXPECTED)));
        } else if (e.isJsonArray()) {
            for (JsonElement x : (JsonArray) e) {
                collect(x, m, parts);
            }
        } else if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            parts.add(new double[] {e.getAsDouble()});
        } else {
            throw new IllegalArgumentException(
                    CAPTUM_TEST_EXPECTED + " must hold tensors or numbers, got " + e);
        }
    }
}
