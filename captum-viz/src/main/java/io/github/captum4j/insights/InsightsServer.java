package io.github.captum4j.insights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.captum4j.core.internal.Checks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Insights web app: a page (bundled HTML, JavaScript and CSS, no other files) and a small JSON
 * API over an {@link AttributionVisualizer}, served by the JDK's {@code com.sun.net.httpserver}.
 *
 * <p>Routes: {@code GET /}, {@code /app.js}, {@code /app.css} (the page); {@code GET /api/init}
 * (classes, features, methods and their arguments); {@code POST /api/fetch} (a {@link FilterConfig}
 * as JSON: {@code attributionMethod}, {@code arguments}, {@code prediction}, {@code classes},
 * {@code numExamples}) returning the explained examples; {@code POST /api/attribute} ({@code
 * instance}, {@code labelIndex} and the method) returning one example explained for another class.
 * Everything else is refused: unknown paths 404, other HTTP methods 405, request bodies over {@link
 * Options#maxRequestBytes()} 413, non-JSON bodies 415, and — when bound to a loopback address, the
 * default — requests whose {@code Host} is not this server's loopback address (a DNS-rebinding
 * guard) or whose {@code Origin} is another site 403. Responses carry a content security policy
 * allowing only the page's own scripts.
 *
 * <pre>{@code
 * try (InsightsServer server = visualizer.serve(InsightsServer.Options.DEFAULTS.withPort(8080))) {
 *     System.out.println(server.url());
 *     server.join();   // until close() from another thread or the JVM exits
 * }
 * }</pre>
 */
public final class InsightsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InsightsServer.class.getName());

    private static final String JSON = "application/json; charset=utf-8";

    private static final String CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'self'";

    private static final Map<String, String[]> ASSETS =
            Map.of(
                    "/", new String[] {"index.html", "text/html; charset=utf-8"},
                    "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
                    "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
                    "/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

    private final AttributionVisualizer visualizer;
    private final Options options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, byte[]> assets;
    private final Set<String> allowedHosts;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile FilterConfig lastConfig = FilterConfig.DEFAULTS;

    /**
     * Where and how the server listens.
     *
     * @param bindAddress the address to bind (default {@code "127.0.0.1"}: only this machine can
     *     connect); another address exposes the model to the network
     * @param port the TCP port, or 0 for a free one (default 0)
     * @param maxRequestBytes the largest request body accepted, in [1024, 16777216] (default 65536)
     */
    public record Options(String bindAddress, int port, int maxRequestBytes) {

        /** Loopback, a free port, 64 KiB requests. */
        public static final Options DEFAULTS = new Options("127.0.0.1", 0, 64 * 1024);

        /**
         * Validates every component.
         *
         * @param bindAddress the address to bind (default {@code "127.0.0.1"}: only this machine
         *     can connect); another address exposes the model to the network
         * @param port the TCP port, or 0 for a free one (default 0)
         * @param maxRequestBytes the largest request body accepted, in [1024, 16777216] (default
         *     65536)
         */
        public Options {
            Checks.notNull(bindAddress, "bindAddress");
            Checks.argument(port >= 0 && port <= 65535, "port must be in [0, 65535], got %s", port);
            Checks.argument(
                    maxRequestBytes >= 1024 && maxRequestBytes <= 16 * 1024 * 1024,
                    "maxRequestBytes must be in [1024, 16777216], got %s",
                    maxRequestBytes);
        }

        /**
         * A copy with another port.
         *
         * @param value the port, or 0 for a free one
         * @return the copy
         */
        public Options withPort(int value) {
            return new Options(bindAddress, value, maxRequestBytes);
        }

        /**
         * A copy with another bind address.
         *
         * @param value the address
         * @return the copy
         */
        public Options withBindAddress(String value) {
            return new Options(value, port, maxRequestBytes);
        }
    }

    private InsightsServer(AttributionVisualizer visualizer, Options options) throws IOException {
        this.visualizer = visualizer;
        this.options = options;
        this.assets = loadAssets();
        InetAddress address = address(options.bindAddress());
        this.server = HttpServer.create(new InetSocketAddress(address, options.port()), 16);
        AtomicInteger count = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t =
                                    new Thread(r, "captum4j-insights-" + count.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        int port = server.getAddress().getPort();
        this.allowedHosts = new HashSet<>();
        if (address.isLoopbackAddress()) {
            for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
                allowedHosts.add(host + ":" + port);
            }
        }
    }

    /**
     * Starts serving a visualizer.
     *
     * @param visualizer what to serve
     * @param options where to listen
     * @return the running server
     */
    public static InsightsServer start(AttributionVisualizer visualizer, Options options) {
        Checks.notNull(visualizer, "visualizer");
        Checks.notNull(options, "options");
        try {
            return new InsightsServer(visualizer, options);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not listen on " + options.bindAddress() + ":" + options.port(), e);
        }
    }

    /**
     * The port listened on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The page's address, e.g. {@code http://127.0.0.1:41234/}.
     *
     * @return the URL
     */
    public URI url() {
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * Blocks until the server is closed.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void join() throws InterruptedException {
        closed.await();
    }

    /** Stops the server (pending requests get up to one second). Idempotent. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        server.stop(1);
        executor.shutdownNow();
        closed.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (!allowedHosts.isEmpty() && !allowedHosts.contains(host(exchange))) {
                send(
                        exchange,
                        403,
                        JSON,
                        Json.error("Host not allowed: this server answers on loopback only"));
                return;
            }
            if (ASSETS.containsKey(path)) {
                if (!allow(exchange, method, "GET", "HEAD")) {
                    return;
                }
                String[] asset = ASSETS.get(path);
                send(exchange, 200, asset[1], assets.get(asset[0]));
                return;
            }
            switch (path) {
                case "/api/init" -> {
                    if (allow(exchange, method, "GET")) {
                        send(exchange, 200, JSON, Json.config(visualizer, lastConfig));
                    }
                }
                case "/api/fetch", "/api/attribute" -> {
                    if (allow(exchange, method, "POST")) {
                        api(exchange, path);
                    }
                }
                default -> send(exchange, 404, JSON, Json.error("not found: " + path));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Insights request failed", e);
        }
    }

    private void api(HttpExchange exchange, String path) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !allowedHosts.isEmpty() && !allowedOrigin(origin)) {
            send(exchange, 403, JSON, Json.error("cross-origin requests are not allowed"));
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            send(exchange, 415, JSON, Json.error("Content-Type must be application/json"));
            return;
        }
        String body = readBody(exchange);
        if (body == null) {
            send(
                    exchange,
                    413,
                    JSON,
                    Json.error("request body larger than " + options.maxRequestBytes() + " bytes"));
            return;
        }
        try {
            String result;
            if (path.equals("/api/fetch")) {
                FilterConfig config = Json.fetchRequest(body);
                result = Json.outputs(visualizer.visualize(config));
                lastConfig = config;
            } else {
                Json.AttributeRequest r = Json.attributeRequest(body);
                result =
                        Json.output(visualizer.attribute(r.instance(), r.labelIndex(), r.config()))
                                .toString();
            }
            send(exchange, 200, JSON, result);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, JSON, Json.error(e.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Insights attribution failed", e);
            send(exchange, 500, JSON, Json.error("attribution failed: " + e));
        }
    }

    private boolean allowedOrigin(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") && allowedHosts.contains(lower.substring(7));
    }

    /** Reads the body, or returns null if it exceeds the limit. */
    private String readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > options.maxRequestBytes()) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(options.maxRequestBytes() + 1);
            if (bytes.length > options.maxRequestBytes()) {
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static boolean allow(HttpExchange exchange, String method, String... allowed)
            throws IOException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
        send(exchange, 405, JSON, Json.error("method " + method + " not allowed"));
        return false;
    }

    private static String host(HttpExchange exchange) {
        String h = exchange.getRequestHeaders().getFirst("Host");
        return h == null ? "" : h.toLowerCase(Locale.ROOT);
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static InetAddress address(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "bindAddress must be an address of this machine, got '" + bindAddress + "'", e);
        }
    }

    private static Map<String, byte[]> loadAssets() throws IOException {
        Map<String, byte[]> out = new java.util.HashMap<>();
        for (String[] asset : ASSETS.values()) {
            try (InputStream in = InsightsServer.class.getResourceAsStream("assets/" + asset[0])) {
                if (in == null) {
                    throw new IOException(
                            "Insights asset " + asset[0] + " is missing from captum-viz");
                }
                out.put(asset[0], in.readAllBytes());
            }
        }
        return out;
    }
}
