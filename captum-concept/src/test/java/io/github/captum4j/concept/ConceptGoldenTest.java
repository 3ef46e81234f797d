package io.github.captum4j.concept;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.internal.fixtures.Tolerance;
import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every golden case of the {@code concept} family, through {@link ConceptCases#check}. */
class ConceptGoldenTest {

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestModels.fixtures().resolve("cases"))) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                JsonObject c = JsonParser.parseString(Files.readString(p)).getAsJsonObject();
                if (c.has("family") && c.get("family").getAsString().equals("concept")) {
                    out.add(p);
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesCaptum(Path file) throws IOException {
        JsonObject c = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        Tolerance.Result r = ConceptCases.check(c, TestModels.fixtures());
        assertThat(r.passed()).as(file.getFileName() + ": " + r).isTrue();
    }
}
