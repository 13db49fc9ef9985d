package dev.myelin.server.api.appservice;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.myelin.http.client.OutboundRequest;
import dev.myelin.http.client.OutboundResponse;
import dev.myelin.testing.appservice.TestAppService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TestAppService} served over real HTTP on 127.0.0.1, so that the homeserver reaches it
 * the way it reaches a deployed bridge; it can be stopped and started again on the same port.
 */
public final class LoopbackAppService implements AutoCloseable {
    private final TestAppService service;
    private int port;
    private HttpServer server;

    public LoopbackAppService(TestAppService service, int port) {
        this.service = service;
        this.port = port;
    }

    /** Serves on {@code port} (0: a free one), returns the url. */
    public URI start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return url();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = Map.copyOf(exchange.getRequestHeaders());
        URI uri = URI.create("http://127.0.0.1:" + port + exchange.getRequestURI());
        OutboundResponse response = service.send(new OutboundRequest(
                exchange.getRequestMethod(),
                uri,
                headers,
                body.length == 0 ? Optional.empty() : Optional.of(new OutboundRequest.Body("application/json", body))));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }
}
