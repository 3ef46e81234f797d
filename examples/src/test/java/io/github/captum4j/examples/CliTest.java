package io.github.captum4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.captum4j.conformance.cases.FixtureRoot;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

class CliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            return Cli.run(args, o, e);
        }
    }

    @Test
    void noCommandPrintsUsageWithStatus2() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: captum4j");
    }

    @Test
    void usageMistakesNameTheProblem() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("conformance")).isEqualTo(2);
        assertThat(run("conformance", "src-test-resources", "--form", "onnx")).isEqualTo(2);
        assertThat(run("conformance", "/no/such/dir")).isEqualTo(2);
        assertThat(run("insights", "--port", "70000")).isEqualTo(2); // no stack trace (issue 19)
        assertThat(run("insights", "--port", "-1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("error: unknown command 'frobnicate'")
                .contains("error: conformance needs the fixture folder DIR")
                .contains("error: --form must be torchscript, block or both, got 'onnx'")
                .contains("error: DIR must hold cases/ and models/");
    }

    @Test
    void conformanceReturnsZeroWhenTheSelectedCasesPass() {
        String dir = FixtureRoot.fromSystemProperty().dir().toString();
        assertThat(run("conformance", dir, "--filter", "^readme_ig_toy$", "--form", "block"))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 passed, 0 failed, 0 skipped");
    }

    @Test
    void quickstartPrintsTheReadmeAttributions() {
        String dir = FixtureRoot.fromSystemProperty().dir().toString();
        assertThat(run("quickstart", "--fixtures", dir)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("-5.9222e-01")
                .contains("-5.1991e+00")
                .contains("convergence delta");
    }
}
