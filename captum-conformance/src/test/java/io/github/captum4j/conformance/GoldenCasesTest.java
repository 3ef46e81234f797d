package io.github.captum4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.captum4j.conformance.cases.FixtureRoot;
import io.github.captum4j.conformance.cases.GoldenCase;
import io.github.captum4j.conformance.check.CaseContext;
import io.github.captum4j.conformance.check.CaseResult;
import io.github.captum4j.conformance.check.ModelForm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every golden case of {@code src-test-resources/} on each model form, through the case families of
 * {@link CaseRegistry}: the module tests' one reading of the cases (nothing here restates a case's
 * arguments). A case that fails on a form fails the build; a form that cannot take a case (no model
 * file, a TorchScript limitation, a rule-based method) is reported as skipped.
 */
class GoldenCasesTest {

    private static final FixtureRoot ROOT = FixtureRoot.fromSystemProperty();

    /** One context per form, so each form's models are loaded once for the whole run. */
    private static final Map<ModelForm, CaseContext> CONTEXTS = new EnumMap<>(ModelForm.class);

    @AfterAll
    static void closeModels() {
        CONTEXTS.values().forEach(CaseContext::close);
        CONTEXTS.clear();
    }

    static Stream<Arguments> casesOnEachForm() {
        return ROOT.caseFiles().stream()
                .flatMap(
                        f ->
                                EnumSet.allOf(ModelForm.class).stream()
                                        .map(
                                                form ->
                                                        Arguments.of(
                                                                f.getFileName().toString(),
                                                                form.label(),
                                                                f,
                                                                form)));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesOnEachForm")
    void passesOnEveryFormThatCanTakeIt(String file, String label, Path path, ModelForm form) {
        CaseContext ctx = CONTEXTS.computeIfAbsent(form, f -> new CaseContext(ROOT, EnumSet.of(f)));
        CaseResult r = ConformanceRunner.runCase(path, ctx);
        assertThat(r.status()).as(r.line()).isNotEqualTo(CaseResult.Status.FAIL);
        assertThat(r.note()).as(r.line()).doesNotEndWith("not implemented yet");
        Assumptions.assumeTrue(r.status() == CaseResult.Status.PASS, r.line());
    }

    @Test
    void everyCaseIsTakenByAFamily() throws IOException {
        for (Path file : ROOT.caseFiles()) {
            GoldenCase c = GoldenCase.read(file);
            assertThat(CaseRegistry.familyFor(c)).as(file.getFileName().toString()).isPresent();
        }
        assertThat(ROOT.caseFiles()).isNotEmpty();
    }
}
