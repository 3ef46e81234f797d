package io.github.captum4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The architecture JSON reader: RFC 8259 values as plain Java, errors with file and position. */
class JsonTest {

    @Test
    void valuesBecomePlainJavaInDocumentOrder() {
        Object v =
                Json.parse(
                        "{\"b\": [1, -2.5, 3e2, true, false, null], \"a\": {\"s\": \"x\\\"\\n\\u00e9\"},"
                                + " \"big\": 12345678901234567890, \"e\": {}, \"l\": []}",
                        "t.json");
        Map<String, Object> root = Json.object(v, "root");
        assertThat(root.keySet()).containsExactly("b", "a", "big", "e", "l");
        assertThat((List<Object>) root.get("b"))
                .isEqualTo(Arrays.asList(1L, -2.5, 300.0, true, false, null));
        assertThat(Json.object(root.get("a"), "a").get("s")).isEqualTo("x\"\né");
        assertThat(root.get("big")).isEqualTo(1.2345678901234567e19);
        assertThat(Json.object(root.get("e"), "e")).isEmpty();
        assertThat((List<?>) root.get("l")).isEmpty();
        assertThatThrownBy(() -> root.put("c", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void syntaxErrorsNameTheSourceLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": [1, 2,]\n}", "model.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model.json is not valid JSON at line 2, column 14")
                .hasMessageContaining("expected a value");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1} x", "m.json"))
                .hasMessageContaining("line 1, column 10")
                .hasMessageContaining("end of the text");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}", "m.json"))
                .hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("[\"abc", "m.json"))
                .hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Json.parse("[01]", "m.json")).hasMessageContaining("expected ']'");
        assertThatThrownBy(() -> Json.parse("[NaN]", "m.json"))
                .hasMessageContaining("expected a value");
        assertThatThrownBy(() -> Json.parse("[1.]", "m.json"))
                .hasMessageContaining("decimal point");
        assertThatThrownBy(() -> Json.parse("", "m.json")).hasMessageContaining("line 1, column 1");
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.json"), "{\"id\": \"toy\"}");
        assertThat(Json.object(Json.read(ok), "ok")).containsEntry("id", "toy");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"id\" \"toy\"}");
        assertThatThrownBy(() -> Json.read(bad))
                .hasMessageStartingWith(bad + " is not valid JSON at line 1, column 7")
                .hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> Json.object(List.of(), "model JSON x"))
                .hasMessage("model JSON x must be a JSON object, got []");
    }
}
