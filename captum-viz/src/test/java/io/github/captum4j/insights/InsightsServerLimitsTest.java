package io.github.captum4j.insights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.captum4j.core.ForwardFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a hostile or unlucky client cannot do to the server: stall it with half-open connections,
 * queue unbounded work, or read another request's progress without its id.
 */
class InsightsServerLimitsTest {

    private NDManager manager;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        manager.close();
    }

    private InsightsServer start(AttributionVisualizer v, InsightsServer.Options options) {
        InsightsServer s = InsightsServer.start(v, options);
        open.add(s);
        return s;
    }

    private Socket connect(InsightsServer server) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        open.add(s);
        s.setSoTimeout(60_000);
        return s;
    }

    private static InsightsServerTest.Response get(InsightsServer server, String path)
            throws IOException {
        return InsightsServerTest.request(
                server.port(), "GET", path, "127.0.0.1:" + server.port(), "", null);
    }

    private static InsightsServerTest.Response post(
            InsightsServer server, String path, String json) throws IOException {
        return InsightsServerTest.request(
                server.port(),
                "POST",
                path,
                "127.0.0.1:" + server.port(),
                "Content-Type: application/json\r\n",
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void halfOpenConnectionsNeitherBlockOthersNorStayOpen() throws IOException {
        InsightsServer server =
                start(
                        DemoBatches.imageVisualizer(manager),
                        InsightsServer.Options.builder().readTimeoutMillis(500).build());
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // more than the I/O threads
            Socket s = connect(server);
            s.getOutputStream()
                    .write(
                            ("GET /api/init HTTP/1.1\r\nHost: 127.0.0.1:" + server.port())
                                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            stalled.add(s);
        }
        assertThat(get(server, "/api/init").status()).isEqualTo(200);
        for (Socket s : stalled) {
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
        }
    }

    @Test
    void aClientTricklingBytesIsCutOffAtTheDeadline() throws Exception {
        InsightsServer server =
                start(
                        DemoBatches.imageVisualizer(manager),
                        InsightsServer.Options.builder().readTimeoutMillis(400).build());
        Socket s = connect(server);
        InputStream in = s.getInputStream();
        String request = "GET /api/init HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n";
        // One byte every 100 ms never trips the per-read timeout, only the request deadline.
        try {
            for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
                Thread.sleep(100);
            }
        } catch (IOException closedByServer) {
            // expected once the deadline passed
        }
        String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 408 ");
    }

    /** A model that waits at a gate before every forward pass. */
    private static ForwardFunction gated(ForwardFunction f, CountDownLatch gate) {
        return (inputs, args) -> {
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return f.forward(inputs, args);
        };
    }

    @Test
    void aFullQueueIsAnswered503AtOnceAndProgressIsVisibleMeanwhile() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AttributionVisualizer v =
                new AttributionVisualizer(
                        List.of(gated(DemoBatches.imageModel(), gate)),
                        out -> out.softmax(-1),
                        DemoBatches.IMAGE_CLASSES,
                        List.of(ImageFeature.of("Photo")),
                        List.of(DemoBatches.images(manager)));
        InsightsServer server =
                start(v, InsightsServer.Options.builder().workers(1).queueSize(1).build());
        String body = "{\"attributionMethod\":\"Saliency\",\"numExamples\":2,\"requestId\":\"%s\"}";
        CompletableFuture<InsightsServerTest.Response> running =
                CompletableFuture.supplyAsync(() -> quietly(server, String.format(body, "first")));
        awaitTracked(server, "first");
        CompletableFuture<InsightsServerTest.Response> queued =
                CompletableFuture.supplyAsync(() -> quietly(server, String.format(body, "second")));
        awaitTracked(server, "second");
        InsightsServerTest.Response third = post(server, "/api/fetch", String.format(body, "third"));
        assertThat(third.status()).isEqualTo(503);
        assertThat(third.headers()).contains("Retry-After: 1");
        assertThat(third.body()).contains("busy: 1 attribution(s) running and 1 queued");
        InsightsServerTest.Response progress = get(server, "/api/progress?id=first");
        assertThat(progress.status()).isEqualTo(200);
        JsonObject p = JsonParser.parseString(progress.body()).getAsJsonObject();
        assertThat(p.get("total").getAsLong()).isEqualTo(2); // Saliency: 1 x 2 examples
        assertThat(p.get("done").getAsLong()).isZero();
        assertThat(get(server, "/api/progress?id=nobody").status()).isEqualTo(404);
        assertThat(get(server, "/api/progress?id=../x").status()).isEqualTo(400);
        gate.countDown();
        assertThat(running.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(queued.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(get(server, "/api/progress?id=first").status()).isEqualTo(404);
    }

    /** Waits until the server tracks a request (computing or queued). */
    private static void awaitTracked(InsightsServer server, String id) throws Exception {
        for (int i = 0; i < 1200 && get(server, "/api/progress?id=" + id).status() != 200; i++) {
            Thread.sleep(50);
        }
    }

    private static InsightsServerTest.Response quietly(InsightsServer server, String json) {
        try {
            return post(server, "/api/fetch", json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePageIsCompleteBeforeAnyScriptRuns() throws IOException {
        AttributionVisualizer v = DemoBatches.imageVisualizer(manager);
        InsightsServer server = start(v, InsightsServer.Options.DEFAULTS);
        String page = get(server, "/").body();
        for (String method : v.methods().names()) {
            assertThat(page).contains("<option value=\"" + method + "\"");
        }
        assertThat(page).contains("<option value=\"IntegratedGradients\" selected>");
        for (String c : DemoBatches.IMAGE_CLASSES) {
            assertThat(page).contains("<input type=\"checkbox\" value=\"" + c + "\">");
        }
        // The default method's arguments, with their defaults.
        assertThat(page)
                .contains("data-arg=\"nSteps\" type=\"number\" min=\"2\" max=\"1000\"")
                .contains("value=\"25\"")
                .contains("<option value=\"GAUSS_LEGENDRE\" selected>");
        assertThat(page).doesNotContain("{{");
        assertThat(page).contains("<script type=\"application/json\" id=\"insights-config\">{");
    }

    @Test
    void labelsAreEscapedInThePage() throws IOException {
        AttributionVisualizer v =
                new AttributionVisualizer(
                        List.of(DemoBatches.imageModel()),
                        null,
                        List.of("<b>red</b>", "green\"", "</script><script>alert(1)</script>"),
                        List.of(ImageFeature.of("Photo")),
                        List.of(DemoBatches.images(manager)));
        InsightsServer server = start(v, InsightsServer.Options.DEFAULTS);
        String page = get(server, "/").body();
        assertThat(page)
                .contains("&lt;b&gt;red&lt;/b&gt;")
                .contains("green&quot;")
                .doesNotContain("<b>red")
                .doesNotContain("</script><script>alert");
    }

    @Test
    void serveAnnouncesTheAddress() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        InsightsServer server;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            server = DemoBatches.imageVisualizer(manager).serve();
            open.add(server);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        "Fetch data and view Captum Insights at "
                                + server.url()
                                + System.lineSeparator());
    }
}
