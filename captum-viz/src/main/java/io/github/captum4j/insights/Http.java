package io.github.captum4j.insights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP/1.1 the Insights server speaks: one request per connection, read with a deadline and
 * size limits, answered with {@code Connection: close}. Small on purpose: the JDK's {@code
 * com.sun.net.httpserver} reads a request's headers on its worker threads without any time limit,
 * so two half-open connections stalled its two workers for good. Not API.
 */
final class Http {

    /** Longest request line plus headers accepted. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private Http() {}

    /**
     * A parsed request.
     *
     * @param method the HTTP method
     * @param target the request target as sent (path and query)
     * @param headers header values by lower-case name (the first of repeated headers)
     * @param body the body (empty if none)
     */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {

        /** The raw path, without the query. */
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        /** A query parameter's raw value, or null. */
        String query(String name) {
            int q = target.indexOf('?');
            if (q < 0) {
                return null;
            }
            for (String pair : target.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(name)) {
                    return pair.substring(eq + 1);
                }
            }
            return null;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A request the server refuses before routing it: the status and a short reason. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Reads one request. The socket's read timeout bounds each wait; {@code deadlineNanos} bounds
     * the whole request, so a client trickling one byte at a time is cut off too.
     *
     * @param in the connection's input
     * @param maxBodyBytes the largest body accepted
     * @param deadlineNanos {@link System#nanoTime()} after which reading stops
     * @return the request
     * @throws Refusal 400, 408, 411, 413, 431 or 501 with a reason
     * @throws IOException if the connection fails
     */
    static Request read(InputStream in, int maxBodyBytes, long deadlineNanos)
            throws Refusal, IOException {
        Deadline d = new Deadline(in, deadlineNanos);
        String requestLine = d.line();
        if (requestLine == null) {
            throw new Refusal(400, "empty request");
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || parts[0].isEmpty()) {
            throw new Refusal(400, "malformed request line");
        }
        for (char c : parts[0].toCharArray()) {
            if (c < 'A' || c > 'Z') {
                throw new Refusal(400, "malformed request method");
            }
        }
        if (!parts[1].startsWith("/")) {
            throw new Refusal(400, "request target must start with /");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            String line = d.line();
            if (line == null) {
                throw new Refusal(400, "request ended inside the headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Refusal(400, "malformed header line");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.putIfAbsent(name, line.substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new Refusal(501, "Transfer-Encoding is not supported; send Content-Length");
        }
        byte[] body = new byte[0];
        String length = headers.get("content-length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new Refusal(400, "Content-Length must be a number");
            }
            if (n < 0) {
                throw new Refusal(400, "Content-Length must not be negative");
            }
            if (n > maxBodyBytes) {
                throw new Refusal(413, "request body larger than " + maxBodyBytes + " bytes");
            }
            body = d.bytes((int) n);
        }
        return new Request(parts[0], parts[1], headers, body);
    }

    /**
     * Writes a complete response and flushes it.
     *
     * @param out the connection's output
     * @param status the status code
     * @param headers the response headers
     * @param body the body
     * @param head whether the request was HEAD (headers only)
     * @throws IOException if the connection fails
     */
    static void write(
            OutputStream out, int status, Map<String, String> headers, byte[] body, boolean head)
            throws IOException {
        StringBuilder s = new StringBuilder(256);
        s.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            s.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        s.append("Content-Length: ").append(body.length).append("\r\n");
        s.append("Connection: close\r\n\r\n");
        out.write(s.toString().getBytes(StandardCharsets.US_ASCII));
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Reads lines and bytes, failing with 408 once the deadline passes or a read times out. */
    private static final class Deadline {
        private final InputStream in;
        private final long deadlineNanos;
        private int headBytes;

        Deadline(InputStream in, long deadlineNanos) {
            this.in = in;
            this.deadlineNanos = deadlineNanos;
        }

        private int next() throws IOException, Refusal {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new Refusal(408, "request not received in time");
            }
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                throw new Refusal(408, "request not received in time");
            }
        }

        /** A line without its CRLF (a bare LF is accepted), or null at the end of the stream. */
        String line() throws IOException, Refusal {
            ByteArrayOutputStream line = new ByteArrayOutputStream(128);
            while (true) {
                int b = next();
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
                }
                if (++headBytes > MAX_HEAD_BYTES) {
                    throw new Refusal(431, "request headers larger than " + MAX_HEAD_BYTES);
                }
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                line.write(b);
            }
        }

        byte[] bytes(int n) throws IOException, Refusal {
            byte[] out = new byte[n];
            int off = 0;
            while (off < n) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new Refusal(408, "request body not received in time");
                }
                int r;
                try {
                    r = in.read(out, off, n - off);
                } catch (SocketTimeoutException e) {
                    throw new Refusal(408, "request body not received in time");
                }
                if (r < 0) {
                    throw new Refusal(400, "request body shorter than its Content-Length");
                }
                off += r;
            }
            return out;
        }
    }

    /**
     * Reads (a bounded amount of) what the client still sends after the answer, so that closing
     * the socket does not reset the connection before the client has read the answer.
     */
    static void drain(Socket s, InputStream in) {
        try {
            s.shutdownOutput();
            s.setSoTimeout(200);
            byte[] sink = new byte[8192];
            long left = 1 << 20;
            int n;
            while (left > 0 && (n = in.read(sink)) > 0) {
                left -= n;
            }
        } catch (IOException e) {
            // the client closed first, or stays silent: either way we are done
        }
    }
}
