package io.github.captum4j.llm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.internal.fixtures.FixtureRoot;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Every {@code llm_*} golden case of the fixtures, checked by {@link LLMCaseCheck}. */
class LLMGoldenCasesTest {

    @TestFactory
    Stream<DynamicTest> everyLlmCase() throws IOException {
        Path root = FixtureRoot.fromSystemProperty().dir();
        List<Path> files;
        try (Stream<Path> s = Files.list(root.resolve("cases"))) {
            String only = System.getProperty("llm.case", "llm_");
            files = s.filter(p -> p.getFileName().toString().startsWith(only)).sorted().toList();
        }
        org.assertj.core.api.Assertions.assertThat(files).isNotEmpty();
        return files.stream()
                .map(f -> DynamicTest.dynamicTest(
                        f.getFileName().toString(),
                        () -> {
                            JsonObject c = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
                            LLMCaseCheck.check(c, root);
                        }));
    }
}
