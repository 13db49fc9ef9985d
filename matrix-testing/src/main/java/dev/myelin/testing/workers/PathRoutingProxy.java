package dev.myelin.testing.workers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A reverse proxy on a free loopback port that spreads one homeserver's requests over its
 * processes by path, as a deployment's load balancer does in front of workers:
 *
 * <table>
 * <caption>Routing</caption>
 * <tr><th>path</th><th>backend</th></tr>
 * <tr><td>{@code /_matrix/client/(r0|v3)/sync}, {@code /_matrix/client/(r0|v3)/events},
 *     {@code /_matrix/client/(r0|v3)/initialSync}, {@code /_matrix/client/(r0|v3)/rooms/{room}/initialSync}</td>
 *     <td>a sync worker, chosen by a stable hash of the access token so that one user's long-polls
 *     keep reaching the same process</td></tr>
 * <tr><td>{@code /_matrix/client/(r0|v3)/rooms/{room}/(send|state|redact)/...}</td>
 *     <td>the event writers (persisters and generic workers) in turn</td></tr>
 * <tr><td>everything else</td><td>the main process</td></tr>
 * </table>
 *
 * <p>A group without a process falls back to the main process. Bodies are streamed both ways and
 * headers are passed on except the hop-by-hop ones; a backend that cannot be reached (a killed
 * worker) is answered {@code 502} with a Matrix error body, {@code M_UNKNOWN}, naming it.
 *
 * <p>Built on the JDK's own HTTP server and client, with a virtual thread per request, so a
 * parked {@code /sync} long-poll costs no platform thread.
 */
public final class PathRoutingProxy implements AutoCloseable {
    private static final Pattern SYNC =
            Pattern.compile("^/_matrix/client/(?:r0|v3)/(?:sync|events|initialSync" + "|rooms/[^/]+/initialSync)$");
    private static final Pattern EVENT_WRITE =
            Pattern.compile("^/_matrix/client/(?:r0|v3)/rooms/[^/]+/(?:send|state|redact)(?:/.*)?$");
    /** Headers that describe one connection, not the request, and headers the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "trailers",
            "transfer-encoding",
            "upgrade",
            "host",
            "content-length",
            "expect",
            "date");

    /**
     * A process the proxy forwards to.
     *
     * @param name the process's name, used in the {@code 502} message
     * @param url its base URL, {@code http://127.0.0.1:port}
     */
    public record Backend(String name, URI url) {
        /** Requires both parts. */
        public Backend {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Backend main;
    private final List<Backend> sync;
    private final List<Backend> writers;
    private final AtomicInteger nextWriter = new AtomicInteger();

    private PathRoutingProxy(
            HttpServer server,
            ExecutorService executor,
            HttpClient client,
            Backend main,
            List<Backend> sync,
            List<Backend> writers) {
        this.server = server;
        this.executor = executor;
        this.client = client;
        this.main = main;
        this.sync = List.copyOf(sync);
        this.writers = List.copyOf(writers);
    }

    /**
     * Starts a proxy on {@code 127.0.0.1:port} ({@code 0} for a free port). The backends need not
     * be up yet: until they are, their requests are answered {@code 502}.
     *
     * @param main the main process
     * @param sync the sync workers (empty: the main process serves {@code /sync})
     * @param writers the processes that share {@code send}, {@code state} and {@code redact} (empty:
     *     the main process)
     */
    public static PathRoutingProxy start(int port, Backend main, List<Backend> sync, List<Backend> writers)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        PathRoutingProxy proxy = new PathRoutingProxy(server, executor, client, main, sync, writers);
        server.createContext("/", proxy::handle);
        server.setExecutor(executor);
        server.start();
        return proxy;
    }

    /** The proxy's base URL, {@code http://127.0.0.1:port}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The port the proxy listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The backend a request goes to.
     *
     * @param rawPath the request's path, still percent-encoded
     * @param accessToken its access token, if it has one
     */
    public Backend route(String rawPath, Optional<String> accessToken) {
        if (SYNC.matcher(rawPath).matches() && !sync.isEmpty()) {
            // String.hashCode is specified, so the choice is the same in every run
            int index = accessToken
                    .map(t -> Math.floorMod(t.hashCode(), sync.size()))
                    .orElse(0);
            return sync.get(index);
        }
        if (EVENT_WRITE.matcher(rawPath).matches() && !writers.isEmpty()) {
            return writers.get(Math.floorMod(nextWriter.getAndIncrement(), writers.size()));
        }
        return main;
    }

    /** Stops listening, ends the requests in flight and releases the client's connections. */
    @Override
    public void close() {
        server.stop(0);
        client.shutdownNow();
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
            String rawQuery = uri.getRawQuery();
            Backend backend = route(rawPath, accessToken(exchange, rawQuery));
            HttpResponse<InputStream> response;
            try {
                response = client.send(
                        forward(exchange, backend, rawPath, rawQuery), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                badGateway(exchange, backend, e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                badGateway(exchange, backend, e);
                return;
            }
            relay(exchange, response);
        }
    }

    private HttpRequest forward(HttpExchange exchange, Backend backend, String rawPath, String rawQuery) {
        String base = backend.url().toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + rawPath + (rawQuery == null ? "" : "?" + rawQuery)));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            if (NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : header.getValue()) {
                try {
                    request.header(header.getKey(), value);
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client refuses to set by hand; it writes its own
                }
            }
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        String encoding = exchange.getRequestHeaders().getFirst("Transfer-Encoding");
        HttpRequest.BodyPublisher body;
        if (length != null && !length.isBlank() && Long.parseLong(length.trim()) > 0) {
            body = HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody), Long.parseLong(length.trim()));
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        } else if (length != null) {
            body = HttpRequest.BodyPublishers.ofByteArray(new byte[0]);
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        return request.method(exchange.getRequestMethod(), body).build();
    }

    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            for (Map.Entry<String, List<String>> header :
                    response.headers().map().entrySet()) {
                String name = header.getKey();
                if (name.startsWith(":") || NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                header.getValue().forEach(v -> exchange.getResponseHeaders().add(name, v));
            }
            int status = response.statusCode();
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD")
                    || status == 204
                    || status == 304
                    || length == 0;
            // the JDK server's convention: -1 no body, 0 chunked, n exactly n bytes
            exchange.sendResponseHeaders(status, noBody ? -1 : length > 0 ? length : 0);
            if (noBody) {
                return;
            }
            OutputStream out = exchange.getResponseBody();
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                // a streamed answer reaches the client as it comes, not when the buffer fills
                out.flush();
            }
            out.close();
        }
    }

    private static void badGateway(HttpExchange exchange, Backend backend, Exception cause) throws IOException {
        String message = "the proxy could not reach " + backend.name() + " at " + backend.url() + ": "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        byte[] body = ("{\"errcode\":\"M_UNKNOWN\",\"error\":\"" + jsonEscape(message) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(502, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Optional<String> accessToken(HttpExchange exchange, String rawQuery) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("access_token=")) {
                    return Optional.of(
                            URLDecoder.decode(pair.substring("access_token=".length()), StandardCharsets.UTF_8));
                }
            }
        }
        return Optional.empty();
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
