package io.github.captum4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

class ConformanceRunnerTest {

    private static final FixtureRoot ROOT = FixtureRoot.fromSystemProperty();

    @Test
    void statisticalCasesNameThePropertyChecked() {
        ConformanceRunner.Summary s =
                run(ROOT.dir(), "^gradient_shap_tabular_", EnumSet.of(ModelForm.BLOCK));
        Map<String, String> notes =
                s.results().stream().collect(Collectors.toMap(CaseResult::name, CaseResult::note));
        assertThat(notes.get("gradient_shap_tabular_zero_baseline"))
                .contains("E[GS]=IG")
                .contains("completeness")
                .contains("delta identity");
        assertThat(notes.get("gradient_shap_tabular_distribution"))
                .contains("E[GS]=seed_stats mean");
    }

    @Test
    void aNoneBeforeAnotherArgumentLeavesOnlyTheBlockForm() {
        Map<String, CaseResult> byName =
                run(
                                ROOT.dir(),
                                "^(readme_ig_toy|ig_tuple_target_multidim)$",
                                EnumSet.allOf(ModelForm.class))
                        .results()
                        .stream()
                        .collect(Collectors.toMap(CaseResult::name, r -> r));
        assertThat(byName.get("ig_tuple_target_multidim").forms()).containsExactly(ModelForm.BLOCK);
        assertThat(byName.get("ig_tuple_target_multidim").note()).contains("torchscript skipped");
        assertThat(byName.get("readme_ig_toy").forms())
                .containsExactly(ModelForm.TORCHSCRIPT, ModelForm.BLOCK);
    }

    @Test
    void aCaseNoFamilyHandlesIsSkippedNeverPassed(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "readme_ig_toy",
                        c -> c.addProperty("method", "SomeMethodNobodyImplements"));
        assertThat(single(dir, CaseResult.Status.SKIP).note())
                .isEqualTo("SomeMethodNobodyImplements: not implemented yet");
    }

    @Test
    void aCaseThatCannotBeReadFails(@TempDir Path tmp) throws IOException {
        Path dir = copyCase(tmp, "readme_ig_toy", c -> c.remove("kind"));
        assertThat(single(dir, CaseResult.Status.FAIL).note())
                .startsWith("could not read case");
    }

    @Test
    void aWrongExactValueFails(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "readme_ig_toy",
                        c ->
                                bump(
                                        firstAttribution(c),
                                        1,
                                        1e-3f));
        ConformanceRunner.Summary s = run(dir);
        assertThat(s.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(CaseResult.Status.FAIL);
                            assertThat(r.note()).contains("exact FAILED").contains("flat index 1");
                        });
        assertThat(s.exitStatus()).isEqualTo(1);
        assertThat(s.line()).isEqualTo("0 passed, 1 failed, 0 skipped");
    }

    @Test
    void aStatisticalCaseWithAPropertyItsFamilyDoesNotCheckFailsNamingIt(@TempDir Path tmp)
            throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "lime_linear_regression_tabular_linear",
                        c ->
                                c.add(
                                        "some_future_bound",
                                        c.get("exact_linear_coefficients_times_input")));
        assertThat(run(dir).results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(CaseResult.Status.FAIL);
                            assertThat(r.note())
                                    .isEqualTo(
                                            "statistical case records property some_future_bound,"
                                                    + " which the perturbation family does not"
                                                    + " check");
                        });
    }

    @Test
    void aRunOffTheExactLinearCoefficientsFails(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "lime_linear_regression_tabular_linear",
                        c ->
                                bump(
                                        c.getAsJsonObject("exact_linear_coefficients_times_input"),
                                        3,
                                        1e-3f));
        assertThat(run(dir, null, EnumSet.of(ModelForm.BLOCK)).results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(CaseResult.Status.FAIL);
                            assertThat(r.note()).contains("w_i (x_i - b_i) FAILED");
                        });
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, 0.05f})
    void captumsUnitTestExpectationIsCheckedWithinItsDelta(float offset, @TempDir Path tmp)
            throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "readme_ig_toy",
                        c -> {
                            JsonObject expected = c.getAsJsonObject("expected");
                            JsonObject literal =
                                    expected.getAsJsonArray("attributions")
                                            .get(0)
                                            .getAsJsonObject()
                                            .deepCopy();
                            bump(literal, 2, offset);
                            c.add("captum_test_expected", literal);
                            c.addProperty("captum_test_delta", 0.01);
                        });
        assertThat(run(dir, null, EnumSet.of(ModelForm.BLOCK)).results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status())
                                    .isEqualTo(
                                            offset == 0
                                                    ? CaseResult.Status.PASS
                                                    : CaseResult.Status.FAIL);
                            assertThat(r.note()).contains("captum_test_delta 0.0100");
                        });
    }

    @Test
    void aWrongDeltaFails(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "readme_ig_toy",
                        c ->
                                bump(
                                        c.getAsJsonObject("expected").getAsJsonObject("delta"),
                                        0,
                                        1e-3f));
        assertThat(single(dir, CaseResult.Status.FAIL).note())
                .contains("delta FAILED");
    }

    @Test
    void aGradientShapMeanOffTheReferenceFails(@TempDir Path tmp) throws IOException {
        // The SE of our 4000-draw mean is about 1e-4 here (many_sample_stderr): moving the
        // reference by 0.002 (about 20 SE) must be noticed.
        Path dir =
                copyCase(
                        tmp,
                        "gradient_shap_tabular_zero_baseline",
                        c -> bump(c.getAsJsonObject("integrated_gradients_reference"), 3, 0.002f));
        assertThat(single(dir, CaseResult.Status.FAIL).note())
                .contains("of integrated_gradients_reference FAILED: 1/20 outside");
    }

    @Test
    void aGradientShapCompletenessGapOffFails(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "gradient_shap_tabular_zero_baseline",
                        c -> bump(c.getAsJsonObject("f_x_minus_f_baseline"), 0, 0.02f));
        assertThat(single(dir, CaseResult.Status.FAIL).note())
                .contains(
                        "completeness: sum(mean attributions) = f(x)-f(baseline) FAILED");
    }

    @Test
    void aSeededNoiseTunnelMissFallsBackToSeedStatsAndFailsOutsideThem(@TempDir Path tmp)
            throws IOException {
        String name = "noise_tunnel_saliency_smoothgrad_small_cnn";
        Path missed =
                copyCase(
                        tmp.resolve("a"),
                        name,
                        c ->
                                bump(
                                        firstAttribution(c),
                                        400,
                                        1f));
        assertThat(single(missed, CaseResult.Status.PASS).note())
                .startsWith("stats: within 4 std of seed_stats mean");
        Path outside =
                copyCase(
                        tmp.resolve("b"),
                        name,
                        c -> {
                            bump(
                                    firstAttribution(c),
                                    400,
                                    1f);
                            bump(
                                    c.getAsJsonObject("seed_stats")
                                            .getAsJsonArray("mean")
                                            .get(0)
                                            .getAsJsonObject(),
                                    400,
                                    1f);
                        });
        assertThat(single(outside, CaseResult.Status.FAIL).note())
                .startsWith("stats: within 4 std")
                .contains("] FAILED: ");
    }

    @Test
    void anUnhandledArgumentFailsInsteadOfBeingIgnored(@TempDir Path tmp) throws IOException {
        Path dir =
                copyCase(
                        tmp,
                        "readme_ig_toy",
                        c ->
                                c.getAsJsonObject("attribute_args")
                                        .addProperty("feature_mask_that_ig_does_not_take", 1));
        assertThat(single(dir, CaseResult.Status.FAIL).note())
                .contains("not handled by the conformance runner");
    }

    @Test
    void filterAndFormSelectCases() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConformanceRunner.Summary s;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            s =
                    new ConformanceRunner(
                                    ROOT.dir(),
                                    Pattern.compile(
                                            "^(readme_ig_toy|ig_tuple_target_multidim|lrp_toy)$"),
                                    EnumSet.of(ModelForm.TORCHSCRIPT))
                            .run(out);
        }
        assertThat(s.results())
                .extracting(CaseResult::name)
                .containsExactly("ig_tuple_target_multidim", "lrp_toy", "readme_ig_toy");
        assertThat(s.results())
                .extracting(CaseResult::status)
                .containsExactly(
                        CaseResult.Status.SKIP, CaseResult.Status.SKIP, CaseResult.Status.PASS);
        assertThat(s.line()).isEqualTo("1 passed, 0 failed, 2 skipped");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("PASS  readme_ig_toy  forms=torchscript  max_abs=")
                .endsWith("1 passed, 0 failed, 2 skipped" + System.lineSeparator());
    }

    private static ConformanceRunner.Summary run(Path dir) {
        return run(dir, null, EnumSet.allOf(ModelForm.class));
    }

    private static ConformanceRunner.Summary run(
            Path dir, String filter, EnumSet<ModelForm> forms) {
        try (PrintStream out =
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            return new ConformanceRunner(
                            dir, filter == null ? null : Pattern.compile(filter), forms)
                    .run(out);
        }
    }

    /** A fixture folder holding one edited copy of a case and its model's files. */
    private static Path copyCase(Path tmp, String name, Consumer<JsonObject> edit)
            throws IOException {
        Files.createDirectories(tmp.resolve("cases"));
        Files.createDirectories(tmp.resolve("models"));
        JsonObject c =
                JsonParser.parseString(Files.readString(ROOT.caseFile(name))).getAsJsonObject();
        edit.accept(c);
        Files.writeString(tmp.resolve("cases").resolve(name + ".json"), c.toString());
        String model = c.get("model").getAsString();
        for (String ext : List.of("pt", "json", "npz")) {
            Files.copy(
                    ROOT.modelFile(model, ext), tmp.resolve("models").resolve(model + "." + ext));
        }
        return tmp;
    }

    /** The one result of a run, which must have the given status. */
    private static CaseResult single(Path dir, CaseResult.Status status) {
        List<CaseResult> results = run(dir).results();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).status()).as(results.get(0).note()).isEqualTo(status);
        return results.get(0);
    }

    /** The expected attributions of a case's first input. */
    private static JsonObject firstAttribution(JsonObject c) {
        return c.getAsJsonObject("expected")
                .getAsJsonArray("attributions")
                .get(0)
                .getAsJsonObject();
    }

    /** Adds {@code by} to element {@code index} of a JSON tensor's data. */
    private static void bump(JsonObject tensor, int index, float by) {
        JsonArray data = tensor.getAsJsonArray("data");
        data.set(index, new JsonPrimitive(data.get(index).getAsFloat() + by));
    }
}
