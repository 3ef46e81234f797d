package io.github.captum4j.influence;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.testing.TestModels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every influence golden case of the fixtures folder passes {@link InfluenceCaseCheck}. */
class InfluenceCasesTest {

    static List<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(TestModels.fixtures().resolve("cases"))) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.toString().endsWith(".json") && InfluenceCaseCheck.handles(read(p))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldenCasePasses(Path file) throws IOException {
        InfluenceCaseCheck.Result r = InfluenceCaseCheck.check(read(file), TestModels.fixtures());
        assertThat(r.passed()).as(file.getFileName() + ": " + r).isTrue();
    }

    private static JsonObject read(Path p) throws IOException {
        return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    }
}
