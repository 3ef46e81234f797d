package io.github.captum4j.insights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A minimal W3C WebDriver client for Debian's chromedriver driving headless Chromium: just what the
 * browser test needs (navigate, find, click, run a script, screenshot), over the protocol's JSON
 * HTTP API on loopback.
 */
final class WebDriver implements AutoCloseable {

    /** The flags this machine needs: no sandbox as root, no network beyond loopback. */
    static final List<String> CHROMIUM_FLAGS =
            List.of(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1400,1100");

    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String session;

    private WebDriver(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** An executable on the PATH (or at the given absolute path), if present. */
    static Optional<Path> executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Starts chromedriver on a free loopback port and opens a headless Chromium session. */
    static WebDriver start(Path chromedriver, Path chromium, Path profile, Path log)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p =
                new ProcessBuilder(
                                chromedriver.toString(),
                                "--port=" + port,
                                "--allowed-ips=127.0.0.1")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpClient probe = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                HttpResponse<String> r =
                        probe.send(
                                HttpRequest.newBuilder(base.resolve("status")).build(),
                                HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("chromedriver did not start; see " + log);
            }
            Thread.sleep(100);
        }
        JsonObject options = new JsonObject();
        options.addProperty("binary", chromium.toString());
        JsonArray args = new JsonArray();
        CHROMIUM_FLAGS.forEach(args::add);
        args.add("--user-data-dir=" + profile);
        options.add("args", args);
        JsonObject always = new JsonObject();
        always.addProperty("browserName", "chrome");
        always.add("goog:chromeOptions", options);
        JsonObject caps = new JsonObject();
        caps.add("alwaysMatch", always);
        JsonObject body = new JsonObject();
        body.add("capabilities", caps);
        WebDriver tmp = new WebDriver(p, base, null);
        try {
            JsonObject value = tmp.call("POST", "session", body).getAsJsonObject();
            return new WebDriver(p, base, value.get("sessionId").getAsString());
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    void navigate(URI url) throws IOException, InterruptedException {
        JsonObject b = new JsonObject();
        b.addProperty("url", url.toString());
        call("POST", "session/" + session + "/url", b);
    }

    /** The element ids matching a CSS selector. */
    List<String> findAll(String css) throws IOException, InterruptedException {
        JsonObject b = new JsonObject();
        b.addProperty("using", "css selector");
        b.addProperty("value", css);
        List<String> ids = new ArrayList<>();
        for (JsonElement e : call("POST", "session/" + session + "/elements", b).getAsJsonArray()) {
            JsonObject ref = e.getAsJsonObject();
            if (!ref.has(ELEMENT)) {
                throw new IOException("unexpected element reference " + ref);
            }
            ids.add(ref.get(ELEMENT).getAsString());
        }
        return ids;
    }

    void click(String css) throws IOException, InterruptedException {
        List<String> ids = findAll(css);
        if (ids.isEmpty()) {
            throw new AssertionError("no element matches " + css);
        }
        call("POST", "session/" + session + "/element/" + ids.get(0) + "/click", new JsonObject());
    }

    /** Runs a script in the page and returns its result. */
    JsonElement script(String js) throws IOException, InterruptedException {
        JsonObject b = new JsonObject();
        b.addProperty("script", js);
        b.add("args", new JsonArray());
        return call("POST", "session/" + session + "/execute/sync", b);
    }

    /** Waits until a script returns true, failing after the timeout with the description. */
    void await(String js, Duration timeout, Supplier<String> description)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonElement r = script(js);
            if (r.isJsonPrimitive() && r.getAsJsonPrimitive().isBoolean() && r.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description.get());
            }
            Thread.sleep(100);
        }
    }

    void screenshot(Path file) throws IOException, InterruptedException {
        String png = call("GET", "session/" + session + "/screenshot", null).getAsString();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    private JsonElement call(String method, String path, JsonObject body)
            throws IOException, InterruptedException {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90));
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        JsonElement parsed = JsonParser.parseString(resp.body());
        if (resp.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + path + " failed: " + resp.body());
        }
        return parsed.getAsJsonObject().get("value");
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                call("DELETE", "session/" + session, null);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the browser goes with the driver below
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
