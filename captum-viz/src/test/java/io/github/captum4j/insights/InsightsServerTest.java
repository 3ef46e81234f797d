package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The web app's API and its refusals, over raw HTTP on loopback. */
class InsightsServerTest {

    private static NDManager manager;
    private static InsightsServer server;

    /** A raw HTTP response. */
    record Response(int status, String headers, String body) {}

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        server = v.serve();
    }

    @AfterAll
    static void stop() {
        server.close();
        manager.close();
    }

    static Response request(
            String method, String path, String host, String extraHeaders, byte[] body)
            throws IOException {
        return request(server.port(), method, path, host, extraHeaders, body);
    }

    static Response request(
            int port, String method, String path, String host, String extraHeaders, byte[] body)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            String head =
                    method
                            + " "
                            + path
                            + " HTTP/1.1\r\nHost: "
                            + host
                            + "\r\nConnection: close\r\n"
                            + extraHeaders
                            + (body == null ? "" : "Content-Length: " + body.length + "\r\n")
                            + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String headers = all.substring(0, split);
            int status = Integer.parseInt(headers.substring(9, 12));
            return new Response(status, headers, all.substring(split + 4));
        } catch (java.net.SocketException e) {
            // The server may close the connection before reading an oversized body.
            return new Response(413, "", "");
        }
    }

    static Response get(String path) throws IOException {
        return request("GET", path, "127.0.0.1:" + server.port(), "", null);
    }

    static Response post(String path, String contentType, String json) throws IOException {
        return request(
                "POST",
                path,
                "127.0.0.1:" + server.port(),
                "Content-Type: " + contentType + "\r\n",
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(server.url().toString()).startsWith("http://127.0.0.1:" + server.port() + "/");
    }

    @Test
    void servesThePageWithAStrictContentSecurityPolicy() throws IOException {
        Response page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("captum4j <span>Insights</span>").contains("app.js");
        assertThat(page.headers())
                .contains("Content-Security-Policy: default-src 'none'; script-src 'self'")
                .contains("X-Content-Type-Options: nosniff");
        assertThat(get("/app.js").body()).contains("api/fetch");
        assertThat(get("/app.css").status()).isEqualTo(200);
    }

    @Test
    void thePageOpensWithTheDefaultMethodsFirstExamplesRenderedOnTheServer() throws IOException {
        Response page = get("/");
        assertThat(page.status()).isEqualTo(200);
        // The examples /api/fetch gives for the default request (IntegratedGradients, 4 examples).
        Response fetched = post("/api/fetch", "application/json", "{}");
        assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
        JsonArray outs = JsonParser.parseString(fetched.body()).getAsJsonArray();
        assertThat(outs).hasSize(4);
        assertThat(page.body().split("<article class=\"example\"", -1)).hasSize(5);
        for (int i = 0; i < outs.size(); i++) {
            JsonObject out = outs.get(i).getAsJsonObject();
            JsonObject top = out.getAsJsonArray("predicted").get(0).getAsJsonObject();
            JsonObject image = out.getAsJsonArray("featureOutputs").get(0).getAsJsonObject();
            assertThat(page.body())
                    .contains("data-instance=\"" + out.get("instance").getAsInt() + "\"")
                    .contains(
                            "<span>"
                                    + top.get("label").getAsString()
                                    + "</span><span>"
                                    + String.format(
                                            java.util.Locale.ROOT,
                                            "%.3f",
                                            top.get("score").getAsDouble())
                                    + "</span>")
                    .contains("src=\"" + image.get("overlay").getAsString() + "\"")
                    .contains("src=\"" + image.get("heatMap").getAsString() + "\"");
        }
        assertThat(page.body())
                .contains("4 result(s) with IntegratedGradients")
                .contains("href=\"first.css\"");
        // The bar widths come from a stylesheet (the policy allows no inline style).
        assertThat(page.body()).doesNotContain("style=");
        Response css = get("/first.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.headers()).contains("Content-Type: text/css");
        assertThat(css.body()).contains(".s0{width:");
        // Computed once, then served from memory.
        assertThat(get("/").body()).isEqualTo(page.body());
    }

    @Test
    void initDescribesClassesFeaturesAndMethods() throws IOException {
        Response r = get("/api/init");
        assertThat(r.status()).isEqualTo(200);
        JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
        assertThat(o.get("classes").toString()).isEqualTo("[\"red\",\"green\",\"blue\"]");
        assertThat(o.get("methods").toString())
                .contains("IntegratedGradients", "Saliency", "NoiseTunnel");
        JsonObject ig = o.getAsJsonObject("methodArguments").getAsJsonObject("IntegratedGradients");
        assertThat(ig.getAsJsonObject("nSteps").get("value").getAsInt()).isEqualTo(25);
        assertThat(ig.getAsJsonObject("method").get("limit").toString()).contains("GAUSS_LEGENDRE");
        assertThat(o.get("selectedMethod").getAsString()).isEqualTo("IntegratedGradients");
    }

    @Test
    void fetchAndAttributeReturnExplainedExamples() throws IOException {
        Response r =
                post(
                        "/api/fetch",
                        "application/json",
                        "{\"attributionMethod\":\"Saliency\",\"arguments\":{},\"prediction\":\"all\","
                            + "\"classes\":[\"red\"],\"numExamples\":2}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonArray outs = JsonParser.parseString(r.body()).getAsJsonArray();
        assertThat(outs).hasSize(2);
        JsonObject first = outs.get(0).getAsJsonObject();
        assertThat(
                        first.getAsJsonArray("predicted")
                                .get(0)
                                .getAsJsonObject()
                                .get("label")
                                .getAsString())
                .isEqualTo("red");
        assertThat(
                        first.getAsJsonArray("featureOutputs")
                                .get(0)
                                .getAsJsonObject()
                                .get("overlay")
                                .getAsString())
                .startsWith("data:image/png;base64,");
        Response again =
                post(
                        "/api/attribute",
                        "application/json",
                        "{\"attributionMethod\":\"Saliency\",\"instance\":1,\"labelIndex\":2}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(
                        JsonParser.parseString(again.body())
                                .getAsJsonObject()
                                .get("activeIndex")
                                .getAsInt())
                .isEqualTo(2);
    }

    @Test
    void refusesWhatIsOutsideTheApi() throws IOException {
        assertThat(get("/../../etc/passwd").status()).isEqualTo(404);
        assertThat(get("/%2e%2e/pom.xml").status()).isEqualTo(404);
        assertThat(get("/io/github/captum4j/insights/assets/app.js").status()).isEqualTo(404);
        assertThat(get("/api/init/extra").status()).isEqualTo(404);
        Response wrongMethod = get("/api/fetch");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).contains("Allow: POST");
        assertThat(request("PUT", "/", "127.0.0.1:" + server.port(), "", new byte[0]).status())
                .isEqualTo(405);
        assertThat(post("/api/fetch", "text/plain", "{}").status()).isEqualTo(415);
        Response bad = post("/api/fetch", "application/json", "{\"numExamples\": 0}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("numExamples must be in [1, 64], got 0");
        assertThat(post("/api/fetch", "application/json", "[1, 2").status()).isEqualTo(400);
        assertThat(post("/api/fetch", "application/json", "{\"evil\": 1}").body())
                .contains("unknown field 'evil'");
        String big = "{\"attributionMethod\":\"" + "x".repeat(70_000) + "\"}";
        assertThat(post("/api/fetch", "application/json", big).status()).isEqualTo(413);
    }

    @Test
    void refusesOtherHostsAndOrigins() throws IOException {
        Response rebinding =
                request("GET", "/api/init", "attacker.example:" + server.port(), "", null);
        assertThat(rebinding.status()).isEqualTo(403);
        assertThat(request("GET", "/", "localhost:" + server.port(), "", null).status())
                .isEqualTo(200);
        Response crossSite =
                request(
                        "POST",
                        "/api/fetch",
                        "127.0.0.1:" + server.port(),
                        "Content-Type: application/json\r\nOrigin: http://attacker.example\r\n",
                        "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(crossSite.status()).isEqualTo(403);
    }
}
