package io.github.captum4j.insights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response of the Insights server, with the headers every response carries (a content security
 * policy allowing only the page's own scripts, no sniffing, no referrer, no caching). Error bodies
 * are {@code {"error": ...}} cut to {@link InsightsServer#MAX_ERROR_CHARS}. Not API.
 *
 * @param status the status code
 * @param type the content type
 * @param body the body
 * @param extraHeaders headers besides the common ones
 */
record Reply(int status, String type, byte[] body, Map<String, String> extraHeaders) {

    static final String JSON = "application/json; charset=utf-8";

    private static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'self'";

    static Reply json(int status, String json) {
        return new Reply(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Reply error(int status, String message) {
        return json(status, Json.error(message));
    }

    static Reply notAllowed(String method, String allowed) {
        return error(405, "method " + method + " not allowed").withHeader("Allow", allowed);
    }

    Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(extraHeaders);
        h.put(name, value);
        return new Reply(status, type, body, h);
    }

    /** A message cut to {@link InsightsServer#MAX_ERROR_CHARS}. */
    static String bounded(String message) {
        String m = message == null ? "error" : message;
        int max = InsightsServer.MAX_ERROR_CHARS;
        return m.length() <= max ? m : m.substring(0, max - 3) + "...";
    }

    void write(OutputStream out, boolean head) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", type);
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cache-Control", "no-store");
        h.putAll(extraHeaders);
        Http.write(out, status, h, body, head);
    }
}
