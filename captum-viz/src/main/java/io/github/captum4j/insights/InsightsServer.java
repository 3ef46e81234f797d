package io.github.captum4j.insights;

import io.github.captum4j.core.internal.Checks;

import org.immutables.value.Value;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The Insights web app: a page (bundled HTML, JavaScript and CSS, no other files) and a small JSON
 * API over an {@link AttributionVisualizer}.
 *
 * <p>Routes: {@code GET /} (the page, rendered on the server with the methods, classes and the
 * default method's arguments already filled in, and its first state: the first examples explained
 * with the default method and arguments, computed once on a compute thread at the first request
 * for the page, then served from memory), {@code /app.js}, {@code /app.css}, {@code /first.css}
 * (the first state's bar widths and token colours); {@code GET
 * /api/init} (classes, features, methods and their arguments); {@code POST /api/fetch} (a {@link
 * FilterConfig} as JSON: {@code attributionMethod}, {@code arguments}, {@code prediction}, {@code
 * classes}, {@code numExamples}, and an optional {@code requestId}) returning the explained
 * examples; {@code POST /api/attribute} ({@code instance}, {@code modelIndex}, {@code labelIndex},
 * the method and its arguments) returning one example explained for another class; {@code GET
 * /api/progress?id=ID} the progress of the request sent with that {@code requestId}. State is per
 * client: each page keeps its own method, arguments, filters and examples and sends them with
 * every request (which is self-describing), and the server holds no state of a client, so one
 * client's choices never change what another client sees.
 *
 * <p>Limits: each connection must deliver its request within {@link Options#readTimeoutMillis()}
 * (else 408 and the connection is closed); connections are served by a fixed pool of I/O threads;
 * attributions run on {@link Options#workers()} compute threads behind a queue of {@link
 * Options#queueSize()} requests, and a request that finds the queue full is answered 503 at once;
 * the work of one request is bounded by the {@link MethodRegistry}'s evaluation budget. Everything
 * else is refused: unknown paths 404, other HTTP methods 405, request bodies over {@link
 * Options#maxRequestBytes()} 413, non-JSON bodies 415, and — when bound to a loopback address, the
 * default — requests whose {@code Host} is not this server's loopback address (a DNS-rebinding
 * guard) or whose {@code Origin} is another site 403. Error bodies are {@code {"error": ...}} of at
 * most {@value #MAX_ERROR_CHARS} characters. Responses carry a content security policy allowing
 * only the page's own scripts.
 *
 * <pre>{@code
 * try (InsightsServer server = visualizer.serve(InsightsServer.Options.DEFAULTS.withPort(8080))) {
 *     server.join();   // until close() from another thread or the JVM exits
 * }
 * }</pre>
 */
@Value.Enclosing
public final class InsightsServer implements AutoCloseable {

    /** Longest error message sent to a client. */
    public static final int MAX_ERROR_CHARS = 300;

    private static final Logger LOG = Logger.getLogger(InsightsServer.class.getName());

    /** Connections served at once (each holds a thread while its request is read or computed). */
    private static final int IO_THREADS = 16;

    /** Connections waiting for an I/O thread before new ones are refused with 503. */
    private static final int IO_QUEUE = 64;

    /** Requests whose progress is kept at once. */
    private static final int MAX_TRACKED = 256;

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final Map<String, String[]> ASSETS =
            Map.of(
                    "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
                    "/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

    private final AttributionVisualizer visualizer;
    private final Options options;
    private final ServerSocket socket;
    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor compute;
    private final Map<String, byte[]> assets;
    private final FirstState first;
    private final String init;
    private final Set<String> allowedHosts = new HashSet<>();
    private final Map<String, RequestProgress> progress = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread acceptor;

    /**
     * Where and how the server listens, and how much it takes on.
     *
     * @param bindAddress the address to bind (default {@code "127.0.0.1"}: only this machine can
     *     connect); another address exposes the model to the network
     * @param port the TCP port, or 0 for a free one (default 0)
     * @param maxRequestBytes the largest request body accepted, in [1024, 16777216] (default 65536)
     * @param readTimeoutMillis time a connection has to deliver its whole request, in [100, 600000]
     *     (default 10000)
     * @param workers threads computing attributions, in [1, 64] (default 2)
     * @param queueSize attribution requests waiting for a worker before new ones get 503, in [0,
     *     1024] (default 8)
     */
    @Value.Builder
    public record Options(
            String bindAddress,
            int port,
            int maxRequestBytes,
            int readTimeoutMillis,
            int workers,
            int queueSize) {

        /** Loopback, a free port, 64 KiB requests, 10 s to send one, 2 workers, 8 queued. */
        public static final Options DEFAULTS = new Options("127.0.0.1", 0, 64 * 1024, 10_000, 2, 8);

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
            Checks.argument(
                    readTimeoutMillis >= 100 && readTimeoutMillis <= 600_000,
                    "readTimeoutMillis must be in [100, 600000], got %s",
                    readTimeoutMillis);
            Checks.argument(
                    workers >= 1 && workers <= 64, "workers must be in [1, 64], got %s", workers);
            Checks.argument(
                    queueSize >= 0 && queueSize <= 1024,
                    "queueSize must be in [0, 1024], got %s",
                    queueSize);
        }

        /**
         * A builder starting from the defaults.
         *
         * @return the builder
         */
        public static Builder builder() {
            return new Builder().from(DEFAULTS);
        }

        /**
         * A builder starting from these options.
         *
         * @return the builder
         */
        public Builder toBuilder() {
            return new Builder().from(this);
        }

        /**
         * A copy with another port.
         *
         * @param value the port, or 0 for a free one
         * @return the copy
         */
        public Options withPort(int value) {
            return toBuilder().port(value).build();
        }

        /**
         * A copy with another bind address.
         *
         * @param value the address
         * @return the copy
         */
        public Options withBindAddress(String value) {
            return toBuilder().bindAddress(value).build();
        }

        /**
         * Fluent builder of {@link Options}: a setter per component, named after it; a component
         * not set keeps its value (Captum's default, or the copied options); {@code build()}
         * validates. Generated at compile time (Immutables).
         */
        public static final class Builder extends InsightsServerBuilders.OptionsBuilder {
            Builder() {}




        }
    }

    private InsightsServer(AttributionVisualizer visualizer, Options options) throws IOException {
        this.visualizer = visualizer;
        this.options = options;
        this.assets = loadAssets();
        this.init = Json.config(visualizer, FilterConfig.DEFAULTS);
        InetAddress address = address(options.bindAddress());
        this.socket = new ServerSocket();
        socket.bind(new InetSocketAddress(address, options.port()), 50);
        int port = socket.getLocalPort();
        if (address.isLoopbackAddress()) {
            for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
                allowedHosts.add(host + ":" + port);
            }
        }
        Page.render(visualizer, init, "", ""); // fails here, not on a request, if assets are missing
        this.first = new FirstState(visualizer, init);
        this.io = pool("io", IO_THREADS, IO_QUEUE);
        this.compute = pool("compute", options.workers(), options.queueSize());
        this.acceptor = new Thread(this::acceptLoop, "captum4j-insights-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
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
        return socket.getLocalPort();
    }

    /**
     * The page's address, e.g. {@code http://127.0.0.1:41234/}.
     *
     * @return the URL
     */
    public URI url() {
        String host = socket.getInetAddress().getHostAddress();
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

    /** Stops the server; requests in flight are abandoned. Idempotent. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the Insights socket", e);
        }
        io.shutdownNow();
        compute.shutdownNow();
    }

    private static ThreadPoolExecutor pool(String kind, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                queue == 0
                        ? new java.util.concurrent.SynchronousQueue<>()
                        : new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t =
                            new Thread(
                                    r, "captum4j-insights-" + kind + "-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    private void acceptLoop() {
        while (closed.getCount() > 0) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed.getCount() > 0) {
                    LOG.log(Level.WARNING, "Insights accept failed", e);
                }
                continue;
            }
            try {
                s.setSoTimeout(options.readTimeoutMillis());
                io.execute(() -> serve(s));
            } catch (RejectedExecutionException | SocketException e) {
                refuse(s);
            }
        }
    }

    /** Answers 503 on a connection no thread can take, without reading it. */
    private static void refuse(Socket s) {
        try (s) {
            s.setSoTimeout(1000);
            Reply.error(503, "server busy, try again").write(s.getOutputStream(), false);
        } catch (IOException e) {
            // the client is gone
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            long deadline = System.nanoTime() + options.readTimeoutMillis() * 1_000_000L;
            Http.Request request;
            try {
                request = Http.read(in, options.maxRequestBytes(), deadline);
            } catch (Http.Refusal r) {
                Reply.error(r.status(), r.getMessage()).write(out, false);
                Http.drain(s, in);
                return;
            }
            boolean head = request.method().equals("HEAD");
            Reply reply = route(request);
            reply.write(out, head);
            Http.drain(s, in);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Insights connection failed", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Insights request failed", e);
        }
    }

    private Reply route(Http.Request request) {
        String path = request.path();
        String method = request.method();
        if (!allowedHosts.isEmpty()
                && !allowedHosts.contains(
                        String.valueOf(request.header("Host")).toLowerCase(Locale.ROOT))) {
            return Reply.error(403, "Host not allowed: this server answers on loopback only");
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return allow(method, "GET", "HEAD") ? page() : Reply.notAllowed(method, "GET, HEAD");
        }
        if (path.equals("/first.css")) {
            return allow(method, "GET", "HEAD")
                    ? new Reply(200, "text/css; charset=utf-8", first.css(), Map.of())
                    : Reply.notAllowed(method, "GET, HEAD");
        }
        if (ASSETS.containsKey(path)) {
            String[] asset = ASSETS.get(path);
            return allow(method, "GET", "HEAD")
                    ? new Reply(200, asset[1], assets.get(asset[0]), Map.of())
                    : Reply.notAllowed(method, "GET, HEAD");
        }
        switch (path) {
            case "/api/init":
                return allow(method, "GET")
                        ? Reply.json(200, init)
                        : Reply.notAllowed(method, "GET");
            case "/api/progress":
                return allow(method, "GET")
                        ? progress(request)
                        : Reply.notAllowed(method, "GET");
            case "/api/fetch":
            case "/api/attribute":
                return allow(method, "POST")
                        ? api(request, path)
                        : Reply.notAllowed(method, "POST");
            default:
                return Reply.error(404, "not found: " + path);
        }
    }

    /** The page with its first state, computed on the first request (see {@link FirstState}). */
    private Reply page() {
        try {
            return new Reply(200, "text/html; charset=utf-8", first.page(compute).html(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "server stopping");
        }
    }

    private Reply api(Http.Request request, String path) {
        String origin = request.header("Origin");
        if (origin != null && !allowedHosts.isEmpty() && !allowedOrigin(origin)) {
            return Reply.error(403, "cross-origin requests are not allowed");
        }
        String type = request.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Reply.error(415, "Content-Type must be application/json");
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        Supplier<String> work;
        String id;
        RequestProgress p = new RequestProgress();
        try {
            if (path.equals("/api/fetch")) {
                Json.FetchRequest r = Json.fetchRequest(body);
                id = r.requestId();
                work = () -> Json.outputs(visualizer.visualize(r.config(), p));
            } else {
                Json.AttributeRequest r = Json.attributeRequest(body);
                id = r.requestId();
                work =
                        () ->
                                Json.output(
                                                visualizer.attribute(
                                                        r.instance(),
                                                        r.modelIndex(),
                                                        r.labelIndex(),
                                                        r.config(),
                                                        p))
                                        .toString();
            }
            if (id != null) {
                Checks.argument(
                        REQUEST_ID.matcher(id).matches(),
                        "requestId must be 1 to 64 letters, digits, '-' or '_'");
            }
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        boolean tracked = id != null && progress.size() < MAX_TRACKED;
        if (tracked) {
            progress.put(id, p);
        }
        try {
            Future<String> result = compute.submit(work::get);
            return Reply.json(200, result.get());
        } catch (RejectedExecutionException e) {
            return Reply.error(
                            503,
                            "busy: "
                                    + options.workers()
                                    + " attribution(s) running and "
                                    + options.queueSize()
                                    + " queued; try again")
                    .withHeader("Retry-After", "1");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                return Reply.error(400, cause.getMessage());
            }
            LOG.log(Level.WARNING, "Insights attribution failed", cause);
            return Reply.error(500, "attribution failed: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(503, "server stopping");
        } finally {
            if (tracked) {
                progress.remove(id, p);
            }
        }
    }

    private Reply progress(Http.Request request) {
        String id = request.query("id");
        if (id == null || !REQUEST_ID.matcher(id).matches()) {
            return Reply.error(400, "id must be the requestId of a request in flight");
        }
        RequestProgress p = progress.get(id);
        if (p == null) {
            return Reply.error(404, "no request in flight with this id");
        }
        return Reply.json(200, p.json());
    }

    private boolean allowedOrigin(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") && allowedHosts.contains(lower.substring(7));
    }

    private static boolean allow(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        return false;
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
            out.put(asset[0], Page.asset(asset[0]));
        }
        return out;
    }
}
