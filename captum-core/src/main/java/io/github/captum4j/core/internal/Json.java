package io.github.captum4j.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for the library's own files (the architecture JSON of an
 * imported model), so that captum-core needs no JSON library. Values become plain Java: an object
 * is an insertion-ordered unmodifiable {@code Map<String, Object>}, an array an unmodifiable {@code
 * List<Object>}, a string a {@code String}, {@code true}/{@code false} a {@code Boolean}, {@code
 * null} Java {@code null}, and a number a {@code Long} when it is written without fraction or
 * exponent and fits, else a {@code Double}. Errors name the source, the line and the column.
 *
 * <p>Not API: may change without notice.
 *
 * <pre>{@code
 * Map<String, Object> root = Json.object(Json.read(path), path.toString());
 * }</pre>
 */
public final class Json {

    private final String text;
    private final String source;
    private int pos;

    private Json(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /**
     * Reads a UTF-8 JSON file.
     *
     * @param file the file
     * @return its value
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file, line and column of a syntax error, or if
     *     the file is not UTF-8 text
     */
    public static Object read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            // corrupt content, not an unreadable file
            throw new IllegalArgumentException(file + " must be UTF-8 JSON text, it is not", e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses one JSON text.
     *
     * @param text the text
     * @param source what to call it in errors (a file name)
     * @return its value
     * @throws IllegalArgumentException naming the source, line and column of a syntax error
     */
    public static Object parse(String text, String source) {
        Json p = new Json(text, source);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw p.error("expected the end of the text");
        }
        return value;
    }

    /**
     * The value as an object.
     *
     * @param value a parsed value
     * @param what what to call it in the error
     * @return the object
     * @throws IllegalArgumentException if it is not an object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a JSON object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        elements(
                '}',
                () -> {
                    if (!peek('"')) {
                        throw error("expected a string key");
                    }
                    int keyAt = pos;
                    String key = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    Object v = value();
                    if (map.containsKey(key)) {
                        pos = keyAt;
                        throw error("duplicate key \"" + key + "\"");
                    }
                    map.put(key, v);
                });
        return Collections.unmodifiableMap(map);
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        elements(']', () -> list.add(value()));
        return Collections.unmodifiableList(list);
    }

    /** The comma-separated elements of an object or array, from its opening to its closing mark. */
    private void elements(char close, Runnable element) {
        pos++; // the opening mark
        skipSpace();
        if (peek(close)) {
            pos++;
            return;
        }
        while (true) {
            skipSpace();
            element.run();
            skipSpace();
            if (!peek(',')) {
                expect(close);
                return;
            }
            pos++;
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("incomplete \\u escape");
                    }
                    try {
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("invalid \\u escape");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("invalid escape \\" + e);
                }
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek('.')) {
            integral = false;
            pos++;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek('e') || peek('E')) {
            integral = false;
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLong) {
                // falls through to a double
            }
        }
        return Double.parseDouble(literal);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value");
        }
        pos += word.length();
        return value;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        String found = "the end of the text";
        if (pos < text.length()) {
            String next = text.substring(pos, Math.min(text.length(), pos + 12));
            found = "'" + next.lines().findFirst().orElse("") + "'";
        }
        return new IllegalArgumentException(
                source
                        + " is not valid JSON at line "
                        + line
                        + ", column "
                        + column
                        + ": "
                        + what
                        + ", got "
                        + found);
    }
}
