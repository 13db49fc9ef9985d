package org.example.echobridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The HTTP side of an application service, on the JDK's built-in server: what the homeserver calls.
 *
 * <ul>
 *   <li>{@code PUT /_matrix/app/v1/transactions/{txnId}}: the body goes to the transaction handler,
 *       one transaction at a time. A transaction id handled before is acknowledged without being
 *       handled again (the homeserver repeats a transaction whose answer it did not get); a handler
 *       that throws makes the answer HTTP 500, so the homeserver sends the transaction again later.
 *   <li>{@code GET /_matrix/app/v1/users/{userId}}: 200 when the user query handler says the user
 *       exists, else 404 {@code M_NOT_FOUND}.
 *   <li>{@code POST /_matrix/app/v1/ping}: 200.
 * </ul>
 *
 * <p>Every request must carry the registration's {@code hs_token} as {@code Authorization: Bearer};
 * anything else is answered 403 {@code M_FORBIDDEN}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/application-service-api/#homeserver---application-service-api">Homeserver -> Application Service API</a>
 */
public final class AppServiceServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/_matrix/app/v1/";
    /** How many transaction ids are remembered: the homeserver only ever repeats recent ones. */
    private static final int REMEMBERED_TRANSACTIONS = 1000;

    private final HttpServer server;
    private final String hsToken;
    private final Consumer<JsonNode> onTransaction;
    private final Predicate<String> onUserQuery;
    private final ReentrantLock transactions = new ReentrantLock();
    private final Map<String, Boolean> handled = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TRANSACTIONS;
        }
    };

    private AppServiceServer(
            HttpServer server, String hsToken, Consumer<JsonNode> onTransaction, Predicate<String> onUserQuery) {
        this.server = server;
        this.hsToken = hsToken;
        this.onTransaction = onTransaction;
        this.onUserQuery = onUserQuery;
    }

    /**
     * Listens on {@code address} (port 0 for a free one) and serves the homeserver's requests,
     * each on a virtual thread.
     */
    public static AppServiceServer start(
            InetSocketAddress address, String hsToken, Consumer<JsonNode> onTransaction, Predicate<String> onUserQuery)
            throws IOException {
        HttpServer http = HttpServer.create(address, 0);
        AppServiceServer server = new AppServiceServer(http, hsToken, onTransaction, onUserQuery);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.start();
        return server;
    }

    /** The URL to put in the registration file: {@code http://<host>:<port>}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                error(exchange, 500, "M_UNKNOWN", String.valueOf(e.getMessage()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (!path.startsWith(PREFIX)) {
            error(exchange, 404, "M_UNRECOGNIZED", "unknown endpoint");
        } else if (!("Bearer " + hsToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 403, "M_FORBIDDEN", "wrong or missing hs_token");
        } else if (method.equals("PUT") && path.startsWith(PREFIX + "transactions/")) {
            transaction(exchange, decode(path.substring((PREFIX + "transactions/").length())));
        } else if (method.equals("GET") && path.startsWith(PREFIX + "users/")) {
            if (onUserQuery.test(decode(path.substring((PREFIX + "users/").length())))) {
                respond(exchange, 200, "{}");
            } else {
                error(exchange, 404, "M_NOT_FOUND", "no such user");
            }
        } else if (method.equals("POST") && path.equals(PREFIX + "ping")) {
            respond(exchange, 200, "{}");
        } else {
            error(exchange, 404, "M_UNRECOGNIZED", "unknown endpoint");
        }
    }

    private void transaction(HttpExchange exchange, String txnId) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            error(exchange, 400, "M_NOT_JSON", "the body is not JSON");
            return;
        }
        // one at a time, in the order the homeserver sends them
        transactions.lock();
        try {
            if (!handled.containsKey(txnId)) {
                onTransaction.accept(body);
                handled.put(txnId, true);
            }
        } finally {
            transactions.unlock();
        }
        respond(exchange, 200, "{}");
    }

    private static void error(HttpExchange exchange, int status, String errcode, String message) throws IOException {
        respond(exchange, status, JSON.createObjectNode().put("errcode", errcode).put("error", message).toString());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Stops listening, letting requests being answered finish for up to a second. */
    @Override
    public void close() {
        server.stop(1);
    }
}
