package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A bounded, seeded loopback fuzz of the Insights API: random and malformed requests — broken
 * request lines and headers, wrong methods and paths, random and mutated JSON bodies, wrong
 * lengths, random arguments for every method — against a running server. Every answer must be a
 * complete HTTP response with a status the API documents (never 5xx but 503), error bodies must be
 * JSON with a message of at most {@link InsightsServer#MAX_ERROR_CHARS} characters, and the server
 * must still answer a valid request at the end. Prints the counts per status.
 */
class InsightsFuzzTest {

    private static final int CASES = 600;
    private static final long SEED = 20261202L;

    private static final Set<Integer> DOCUMENTED =
            Set.of(200, 400, 403, 404, 405, 408, 413, 415, 431, 501, 503);

    private static final List<String> METHODS =
            List.of(
                    "IntegratedGradients",
                    "Saliency",
                    "GradientShap",
                    "InputXGradient",
                    "Occlusion",
                    "FeatureAblation",
                    "NoiseTunnel",
                    "DeepLift",
                    "",
                    "Saliency\u0000",
                    "x".repeat(500));

    private static final List<String> ARGUMENTS =
            List.of(
                    "nSteps", "method", "nSamples", "stdevs", "seed", "slidingWindowShapes",
                    "strides", "perturbationsPerEval", "base", "ntType", "ntSamples", "abs");

    private static final List<String> VALUES =
            List.of(
                    "0", "1", "2", "-1", "25", "1000", "1e9", "1e308", "NaN", "\"Infinity\"",
                    "0.5", "\"3, 2, 2\"", "\"(1,1,1)\"", "\"9,9,9\"", "\"a,b\"", "\";;\"",
                    "\"IntegratedGradients\"", "\"RIEMANN_LEFT\"", "\"SMOOTHGRAD_SQ\"", "true",
                    "null", "[]", "{}", "\"\"", "2147483648", "-0");

    @Test
    void randomAndMalformedRequestsGetBoundedClientErrorsAndTheServerStaysUp() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<Integer, Integer> counts = new TreeMap<>();
        try (NDManager manager = NDManager.newBaseManager();
                InsightsServer server =
                        InsightsServer.start(
                                DemoBatches.imageVisualizer(manager),
                                InsightsServer.Options.builder()
                                        .readTimeoutMillis(300)
                                        .build())) {
            for (int i = 0; i < CASES; i++) {
                String request = request(random, server.port());
                String answer = send(server.port(), request);
                int status = check(answer, request);
                counts.merge(status, 1, Integer::sum);
            }
            String valid =
                    post(
                            server.port(),
                            "/api/fetch",
                            "{\"attributionMethod\":\"Saliency\",\"numExamples\":2}");
            assertThat(check(send(server.port(), valid), valid)).isEqualTo(200);
        }
        System.out.println("Insights fuzz: " + CASES + " requests, answers by status " + counts);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        assertThat(counts).containsKeys(200, 400, 404, 405, 431, 501);
    }

    /** Checks one answer; returns its status. */
    private static int check(String answer, String request) {
        String shown = request.length() > 300 ? request.substring(0, 300) + "..." : request;
        assertThat(answer).as(shown).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(answer.substring(9, 12));
        assertThat(DOCUMENTED).as(shown + "\n-> " + answer).contains(status);
        int split = answer.indexOf("\r\n\r\n");
        assertThat(split).as(shown).isPositive();
        String body = answer.substring(split + 4);
        if (status != 200 && !request.startsWith("HEAD ")) {
            JsonElement e = JsonParser.parseString(body);
            String message = e.getAsJsonObject().get("error").getAsString();
            assertThat(message.length()).as(shown).isLessThanOrEqualTo(InsightsServer.MAX_ERROR_CHARS);
        }
        return status;
    }

    private static String send(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before reading everything
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String post(int port, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n" + json;
    }

    private static String request(SplittableRandom r, int port) {
        String host = "127.0.0.1:" + port;
        switch (r.nextInt(11)) {
            case 0: // random bytes
                return randomText(r, 1 + r.nextInt(200)) + "\r\n\r\n";
            case 1: // a broken request line
                return pick(r, List.of("GET", "POST", "get", "G\u00e9T", "", "PUT"))
                        + pick(r, List.of(" ", "  ", "\t", ""))
                        + pick(r, List.of("/", "/api/init", "api/init", "*", "/%00", ""))
                        + pick(r, List.of(" HTTP/1.1", " HTTP/2", "", " HTTP/1.1 x"))
                        + "\r\nHost: " + host + "\r\n\r\n";
            case 9: // broken or hostile headers after a valid request line
                return pick(r, List.of("GET /api/init", "POST /api/fetch", "HEAD /"))
                        + " HTTP/1.1\r\nHost: " + host + "\r\n"
                        + pick(r, List.of("Bad header\r\n", ": x\r\n", "Content-Length: -5\r\n",
                                "Content-Length: abc\r\n", "Transfer-Encoding: chunked\r\n",
                                "X: " + "y".repeat(20_000) + "\r\n",
                                "Content-Length: 99999999999999999999\r\n"))
                        + "\r\n";
            case 2: // a wrong method or path
                return pick(r, List.of("GET", "POST", "DELETE", "HEAD", "OPTIONS"))
                        + " "
                        + pick(r, List.of("/", "/app.js", "/api/fetch", "/api/attribute",
                                "/api/progress", "/api/progress?id=", "/api/progress?id=zz",
                                "/../etc/passwd", "/api/init?x=1", "/index.html", "/favicon.ico"))
                        + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n";
            case 3: // a foreign host or origin
                return "POST /api/fetch HTTP/1.1\r\nHost: "
                        + pick(r, List.of("evil.example", host, "127.0.0.1", ""))
                        + "\r\nOrigin: " + pick(r, List.of("http://evil.example", "null",
                                "http://" + host))
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
            case 4: // a body shorter or longer than announced, or too large
                String json = "{\"attributionMethod\":\"Saliency\"}";
                int announced = pick(r, List.of(json.length() + 5, json.length() - 3, 70_000));
                return "POST /api/fetch HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + announced
                        + "\r\n\r\n" + json;
            case 5: // random JSON for /api/attribute
                return post(port, "/api/attribute", "{\"instance\":" + pick(r, VALUES)
                        + ",\"modelIndex\":" + pick(r, VALUES) + ",\"labelIndex\":"
                        + pick(r, VALUES) + ",\"attributionMethod\":\"" + pick(r, METHODS)
                        + "\"}");
            case 6: // mutated JSON
                String valid = fetchJson(r);
                StringBuilder m = new StringBuilder(valid);
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    int at = r.nextInt(m.length());
                    switch (r.nextInt(3)) {
                        case 0 -> m.deleteCharAt(at);
                        case 1 -> m.insert(at, pick(r, List.of("{", "}", "[", "\"", ",", ":", "9")));
                        default -> m.setCharAt(at, (char) (32 + r.nextInt(95)));
                    }
                }
                return post(port, "/api/fetch", m.toString());
            default: // random but well-formed fetches, often valid
                return post(port, "/api/fetch", fetchJson(r));
        }
    }

    private static String fetchJson(SplittableRandom r) {
        StringBuilder args = new StringBuilder("{");
        for (int k = 0; k < r.nextInt(3); k++) {
            args.append(k == 0 ? "" : ",")
                    .append('"').append(pick(r, ARGUMENTS)).append("\":").append(pick(r, VALUES));
        }
        args.append('}');
        return "{\"attributionMethod\":\"" + pick(r, METHODS) + "\",\"arguments\":" + args
                + ",\"prediction\":\"" + pick(r, List.of("all", "correct", "incorrect", "ALL", "x"))
                + "\",\"classes\":" + pick(r, List.of("[]", "[\"red\"]", "[\"blue\",\"green\"]",
                        "[\"cat\"]", "[1]", "\"red\""))
                + ",\"numExamples\":" + pick(r, List.of("1", "2", "4", "0", "65", "1.5", "\"3\""))
                + (r.nextBoolean() ? ",\"requestId\":\"" + pick(r, List.of("a1", "../x", "")) + "\""
                        : "")
                + "}";
    }

    private static String randomText(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) (r.nextInt(10) == 0 ? r.nextInt(32) : 32 + r.nextInt(95)));
        }
        return s.toString();
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
