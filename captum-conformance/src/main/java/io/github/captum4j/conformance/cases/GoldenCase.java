package io.github.captum4j.conformance.cases;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.captum4j.core.Target;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One golden case ({@code cases/<case>.json}): the model, the Captum method and its arguments, the
 * inputs, baselines and additional forward arguments, the reference output and the tolerance. The
 * format is described in {@code src-test-resources/README.md}.
 *
 * <p>Scalars are parsed when the case is read; tensors only when asked for, into the caller's
 * {@link NDManager} (the caller closes them). Reference values other than {@code attributions} and
 * {@code delta} (e.g. {@code seed_stats.mean}, {@code integrated_gradients_reference}) are found by
 * a dotted key, in {@code expected} first and then at the top level of the case, where the
 * generator puts some of them.
 *
 * <pre>{@code
 * GoldenCase c = GoldenCase.read(root.caseFile("readme_ig_toy"));
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDList x = c.inputs(m);
 *     NDList expected = c.expectedAttributions(m);
 * }
 * }</pre>
 *
 * <p>Not API: may change without notice.
 */
public final class GoldenCase {

    /** How a case is checked. */
    public enum Kind {
        /** Compare with {@code expected} within the tolerance. */
        EXACT,
        /** Draws random numbers: check the RNG-independent properties recorded in the case. */
        STATISTICAL
    }

    /** The case's {@code target_kind}: how {@code attribute_args.target} is written. */
    public enum TargetKind {
        /** One class index for every example. */
        INT,
        /** One class index per example. */
        PER_EXAMPLE_LIST,
        /** One index tuple into the non-batch output dimensions. */
        TUPLE,
        /** One index tuple per example. */
        PER_EXAMPLE_TUPLES,
        /** A tensor of indices (scalar, or one per example). */
        TENSOR,
        /** No target: the model has one output per example. */
        NONE
    }

    private final JsonObject root;
    private final String source;
    private final String name;
    private final String model;
    private final String method;
    private final Kind kind;
    private final TargetKind targetKind;
    private final Tolerance tolerance;
    private final CaseArgs initArgs;
    private final CaseArgs attributeArgs;
    private final Integer torchManualSeed;

    private GoldenCase(JsonObject root, String source) {
        this.root = root;
        this.source = source;
        this.name = requiredString("case");
        this.model = requiredString("model");
        this.method = requiredString("method");
        this.kind = parseKind();
        this.targetKind = parseTargetKind();
        this.tolerance = parseTolerance();
        this.initArgs = args("init_args");
        this.attributeArgs = args("attribute_args");
        JsonElement seed = root.get("torch_manual_seed");
        this.torchManualSeed =
                seed == null || seed.isJsonNull()
                        ? null
                        : Math.toIntExact(CaseTensors.parseLong(seed, "torch_manual_seed"));
    }

    /**
     * Reads a case file.
     *
     * @param file the {@code .json} file
     * @return the case
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a well-formed case
     */
    public static GoldenCase read(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(JsonParser.parseReader(r), file.toString());
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "case file " + file + " must be valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a case from its JSON text.
     *
     * @param json the text
     * @param source where it came from, for messages
     * @return the case
     * @throws IllegalArgumentException if it is not a well-formed case
     */
    public static GoldenCase parse(String json, String source) {
        try {
            return parse(JsonParser.parseString(json), source);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "case " + source + " must be valid JSON: " + e.getMessage(), e);
        }
    }

    private static GoldenCase parse(JsonElement element, String source) {
        if (element == null || !element.isJsonObject()) {
            throw new IllegalArgumentException(
                    "case " + source + " must be a JSON object, got " + CaseArgs.describe(element));
        }
        return new GoldenCase(element.getAsJsonObject(), source);
    }

    /**
     * The case name ({@code case}).
     *
     * @return the name, e.g. {@code readme_ig_toy}
     */
    public String name() {
        return name;
    }

    /**
     * The model id ({@code model}): {@code models/<id>.pt}, {@code .json}, {@code .npz}.
     *
     * @return the id, e.g. {@code toy}
     */
    public String model() {
        return model;
    }

    /**
     * The Captum class name ({@code method}), or {@code infidelity} / {@code sensitivity_max}.
     *
     * @return the method
     */
    public String method() {
        return method;
    }

    /**
     * The case's {@code family} ({@code robust}, {@code concept}, {@code influence}, {@code llm},
     * {@code model_coverage}, {@code extras}), absent on the first cases (attribution and metrics).
     *
     * @return the family, or empty
     */
    public Optional<String> family() {
        JsonElement f = root.get("family");
        return f == null || f.isJsonNull() ? Optional.empty() : Optional.of(f.getAsString());
    }

    /**
     * Whether the case is exact or statistical.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * How the target is written, if the case has a {@code target_kind} (metric cases do not).
     *
     * @return the target kind
     */
    public Optional<TargetKind> targetKind() {
        return Optional.ofNullable(targetKind);
    }

    /**
     * The tolerance ({@code tolerance}), or {@link Tolerance#DEFAULT} if the case has none.
     *
     * @return the tolerance
     */
    public Tolerance tolerance() {
        return tolerance;
    }

    /**
     * The constructor arguments ({@code init_args}).
     *
     * @return a view, empty if absent
     */
    public CaseArgs initArgs() {
        return initArgs;
    }

    /**
     * The {@code attribute} arguments ({@code attribute_args}).
     *
     * @return a view, empty if absent
     */
    public CaseArgs attributeArgs() {
        return attributeArgs;
    }

    /**
     * The seed set with {@code torch.manual_seed} just before {@code attribute} (statistical
     * cases).
     *
     * @return the seed
     */
    public Optional<Integer> torchManualSeed() {
        return Optional.ofNullable(torchManualSeed);
    }

    /**
     * The case's notes.
     *
     * @return the notes, empty if none
     */
    public String notes() {
        JsonElement n = root.get("notes");
        return n == null || n.isJsonNull() ? "" : n.getAsString();
    }

    /**
     * The target as a {@link Target}, from {@code attribute_args.target} read per {@link
     * #targetKind()}: {@code int} → {@link Target#index}, {@code per_example_list} → {@link
     * Target#perExample(int...)}, {@code tuple} → {@link Target#position}, {@code
     * per_example_tuples} → {@link Target#perExample(List)}, {@code tensor} → by the tensor's rank,
     * {@code none} (or no target at all) → {@link Target#none()}.
     *
     * @return the target
     * @throws IllegalArgumentException if the target does not have the stated form
     */
    public Target target() {
        return CaseTargets.parse(attributeArgs.raw("target").orElse(null), targetKind);
    }

    /**
     * The input tensors ({@code inputs}).
     *
     * @param manager where the arrays are created
     * @return one array per input, in order
     */
    public NDList inputs(NDManager manager) {
        JsonElement e = root.get("inputs");
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException(
                    "case "
                            + name
                            + ": inputs must be a list of tensors, got "
                            + CaseArgs.describe(e));
        }
        return CaseTensors.readList(e, manager, "inputs");
    }

    /**
     * The baselines as written ({@code baselines}).
     *
     * @param manager where tensors are created
     * @return the baselines
     */
    public CaseBaselines baselines(NDManager manager) {
        return CaseInputs.baselines(root.get("baselines"), manager);
    }

    /**
     * Whether the case passes additional forward arguments (a non-null list).
     *
     * @return {@code true} if it does
     */
    public boolean hasAdditionalForwardArgs() {
        JsonElement e = root.get("additional_forward_args");
        return e != null && !e.isJsonNull();
    }

    /**
     * The additional forward arguments ({@code additional_forward_args}): tensors become {@link
     * NDArray}s, integers {@link Integer}s, other numbers {@link Double}s, booleans {@link
     * Boolean}s and JSON null stays {@code null} (Python's None).
     *
     * @param manager where tensors are created
     * @return the arguments in order (unmodifiable, may contain nulls), empty if none
     */
    public List<Object> additionalForwardArgs(NDManager manager) {
        return hasAdditionalForwardArgs()
                ? CaseInputs.additionalForwardArgs(root.get("additional_forward_args"), manager)
                : List.of();
    }

    /**
     * The reference attributions ({@code expected.attributions}).
     *
     * @param manager where the arrays are created
     * @return one array per input (or per layer output), in order
     */
    public NDList expectedAttributions(NDManager manager) {
        return tensors("attributions", manager);
    }

    /**
     * The reference convergence delta ({@code expected.delta}).
     *
     * @param manager where the array is created
     * @return the delta, or empty if the case has none (null)
     */
    public Optional<NDArray> expectedDelta(NDManager manager) {
        return has("delta") ? Optional.of(tensor("delta", manager)) : Optional.empty();
    }

    /**
     * Whether a reference value exists (non-null), by dotted key, in {@code expected} or at the top
     * level: {@code "delta"}, {@code "seed_stats.mean"}, {@code "many_sample_stderr"}.
     *
     * @param key the dotted key
     * @return {@code true} if present and not null
     */
    public boolean has(String key) {
        JsonElement e = lookup(key);
        return e != null && !e.isJsonNull();
    }

    /**
     * A reference tensor or list of tensors by dotted key (see {@link #has(String)}).
     *
     * @param key the dotted key, e.g. {@code seed_stats.std}
     * @param manager where the arrays are created
     * @return the arrays (one for a single tensor)
     * @throws IllegalArgumentException if the key is absent or not tensors
     */
    public NDList tensors(String key, NDManager manager) {
        return CaseTensors.readList(required(key), manager, key);
    }

    /**
     * A single reference tensor by dotted key (see {@link #has(String)}); a list of one tensor is
     * accepted.
     *
     * @param key the dotted key, e.g. {@code integrated_gradients_reference}
     * @param manager where the array is created
     * @return the array
     * @throws IllegalArgumentException if the key is absent or not one tensor
     */
    public NDArray tensor(String key, NDManager manager) {
        JsonElement e = required(key);
        if (e.isJsonArray() && e.getAsJsonArray().size() == 1) {
            e = e.getAsJsonArray().get(0);
        }
        return CaseTensors.read(e, manager, key);
    }

    /**
     * A reference number by dotted key (see {@link #has(String)}), e.g. {@code many_sample_n} or
     * {@code seed_stats.n_seeds}.
     *
     * @param key the dotted key
     * @return the number, or empty if absent
     * @throws IllegalArgumentException if the value is not a number
     */
    public Optional<Double> number(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonElement e = lookup(key);
        if (!isNumber(e)) {
            throw new IllegalArgumentException(
                    key + " must be a number, got " + CaseArgs.describe(e));
        }
        return Optional.of(Double.parseDouble(e.getAsString()));
    }

    /**
     * A copy of the whole case, for anything without a typed getter.
     *
     * @return the JSON object
     */
    public JsonObject json() {
        return root.deepCopy();
    }

    @Override
    public String toString() {
        return "GoldenCase[" + name + ", " + method + " on " + model + ", " + kind + "]";
    }

    private JsonElement required(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(
                    "case "
                            + name
                            + " must hold "
                            + key
                            + " (in expected or at the top level), it has none");
        }
        return lookup(key);
    }

    private JsonElement lookup(String key) {
        JsonElement expected = root.get("expected");
        JsonElement inExpected =
                expected != null && expected.isJsonObject()
                        ? walk(expected.getAsJsonObject(), key)
                        : null;
        if (inExpected != null && !inExpected.isJsonNull()) {
            return inExpected;
        }
        JsonElement top = walk(root, key);
        return top != null ? top : inExpected;
    }

    private static JsonElement walk(JsonObject from, String key) {
        JsonElement current = from;
        for (String part : key.split("\\.")) {
            if (current == null || !current.isJsonObject()) {
                return null;
            }
            current = current.getAsJsonObject().get(part);
        }
        return current;
    }

    private String requiredString(String key) {
        JsonElement e = root.get(key);
        if (e == null || !e.isJsonPrimitive() || !((JsonPrimitive) e).isString()) {
            throw new IllegalArgumentException(
                    "case "
                            + source
                            + " must have a string \""
                            + key
                            + "\", got "
                            + CaseArgs.describe(e));
        }
        return e.getAsString();
    }

    private Kind parseKind() {
        String k = requiredString("kind");
        switch (k) {
            case "exact":
                return Kind.EXACT;
            case "statistical":
                return Kind.STATISTICAL;
            default:
                throw new IllegalArgumentException(
                        "case "
                                + source
                                + ": kind must be \"exact\" or \"statistical\", got \""
                                + k
                                + "\"");
        }
    }

    private TargetKind parseTargetKind() {
        JsonElement e = root.get("target_kind");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        String k = e.getAsString();
        try {
            return TargetKind.valueOf(k.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "case "
                            + source
                            + ": target_kind must be one of int, per_example_list, tuple,"
                            + " per_example_tuples, tensor, none, got \""
                            + k
                            + "\"",
                    ex);
        }
    }

    private Tolerance parseTolerance() {
        JsonElement e = root.get("tolerance");
        if (e == null || e.isJsonNull()) {
            return Tolerance.DEFAULT;
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(
                    "case "
                            + source
                            + ": tolerance must be {\"rtol\", \"atol\"}, got "
                            + CaseArgs.describe(e));
        }
        CaseArgs t = new CaseArgs(e.getAsJsonObject(), "tolerance");
        return new Tolerance(
                t.number("rtol", Tolerance.DEFAULT.rtol()),
                t.number("atol", Tolerance.DEFAULT.atol()));
    }

    private CaseArgs args(String key) {
        JsonElement e = root.get(key);
        if (e == null || e.isJsonNull()) {
            return new CaseArgs(null, key);
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(
                    "case "
                            + source
                            + ": "
                            + key
                            + " must be an object, got "
                            + CaseArgs.describe(e));
        }
        return new CaseArgs(e.getAsJsonObject(), key);
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber();
    }
}
