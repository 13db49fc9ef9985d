package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.time.ManualClock;
import dev.myelin.core.time.SystemClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot hold connections open: request headers must arrive within the request
 * header timeout however steadily they trickle in, a body must keep up a minimum rate after the
 * request body timeout, and an idle connection is closed after the idle timeout. Each test uses a one-second timeout and real sockets on 127.0.0.1.
 */
class SlowClientTest {
    private static final String REQUEST =
            "GET /ok HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(200) + "\r\n\r\n";

    private HttpServer server;

    private void start(Duration headerTimeout, Duration idleTimeout) {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ok",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(
                                JsonNodeFactory.instance.objectNode().put("ok", true))))
                .register(Endpoint.of(HttpMethod.GET, "/slow", AuthRequirement.NONE, req -> {
                    try {
                        Thread.sleep(Long.parseLong(req.requireQueryParam("ms")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return MatrixResponse.ok(
                            JsonNodeFactory.instance.objectNode().put("slow", true));
                }));
        server = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .requestHeaderTimeout(headerTimeout)
                .idleTimeout(idleTimeout)
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Sends {@code text} one byte every {@code pauseMillis}; false once the server has closed the connection. */
    private static boolean trickle(RawConnection connection, String text, long pauseMillis) throws Exception {
        for (char c : text.toCharArray()) {
            try {
                connection.write(String.valueOf(c));
            } catch (java.io.IOException e) {
                return false;
            }
            Thread.sleep(pauseMillis);
        }
        return true;
    }

    @Test
    void headersTrickledByteByByteAreCutOffAtTheHeaderTimeout() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(30));
        long started = System.nanoTime();
        try (RawConnection connection = new RawConnection(server.port())) {
            // 100 ms per byte: every byte is well inside the 30 s idle timeout, the whole head is not
            Thread thread = Thread.ofVirtual().start(() -> {
                try {
                    trickle(connection, REQUEST, 100);
                } catch (Exception ignored) {
                    // the test reads the outcome from the socket
                }
            });
            assertThat(connection.closedByServerWithin(5_000)).isTrue();
            thread.interrupt();
        }
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(elapsedMillis).isBetween(900L, 4_000L);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeout() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(30));
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.closedByServerWithin(4_000)).isTrue();
        }
    }

    @Test
    void laterRequestsOnAKeepAliveConnectionAreTimedFromTheirFirstByte() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(30));
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.get("/ok", "").status()).isEqualTo(200);
            // idle between requests for longer than the header timeout: still open
            Thread.sleep(2_000);
            assertThat(connection.get("/ok", "").status()).isEqualTo(200);
            // then a request whose headers trickle in is cut off
            connection.write("GET /ok HTTP/1.1\r\n");
            Thread.ofVirtual().start(() -> {
                try {
                    trickle(connection, "Host: localhost\r\nX-Padding: " + "a".repeat(100) + "\r\n\r\n", 100);
                } catch (Exception ignored) {
                    // the test reads the outcome from the socket
                }
            });
            assertThat(connection.closedByServerWithin(5_000)).isTrue();
        }
    }

    @Test
    void slowHandlingIsNotAHeaderTimeout() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(30));
        try (RawConnection connection = new RawConnection(server.port())) {
            RawConnection.Response response = connection.get("/slow?ms=2500", "");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"slow\":true}");
            assertThat(connection.get("/ok", "").status()).isEqualTo(200);
        }
    }

    @Test
    void aLongPollOutlivesTheIdleTimeout() throws Exception {
        // a handler that waits without sending anything (as /sync does) is not idle
        start(Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.get("/slow?ms=2500", "").status()).isEqualTo(200);
        }
    }

    @Test
    void headersSentPromptlyAreServed() throws Exception {
        start(Duration.ofSeconds(1), Duration.ofSeconds(30));
        try (RawConnection connection = new RawConnection(server.port())) {
            // a few bytes at a time, well within the timeout
            assertThat(trickle(connection, REQUEST.substring(0, 20), 10)).isTrue();
            connection.write(REQUEST.substring(20));
            assertThat(connection.read().status()).isEqualTo(200);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() throws Exception {
        start(Duration.ofSeconds(10), Duration.ofSeconds(1));
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.get("/ok", "").status()).isEqualTo(200);
            assertThat(connection.closedByServerWithin(4_000)).isTrue();
        }
    }

    @Test
    void aBodyTrickledInIsAnswered408AndTheConnectionClosed() throws Exception {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.POST,
                        "/echo",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "application/octet-stream", req.bodyBytes())));
        server = HttpServer.builder(router, SystemClock.INSTANCE)
                .listen("127.0.0.1", 0)
                .requestBodyTimeout(Duration.ofSeconds(1))
                .build();
        server.start();
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n");
            // 100 bytes a second: every byte well inside the idle timeout, the body far too slow
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    trickle(connection, "b".repeat(2000), 10);
                } catch (Exception ignored) {
                    // the test reads the outcome from the socket
                }
            });
            long started = System.nanoTime();
            RawConnection.Response response = connection.read();
            assertThat(Duration.ofNanos(System.nanoTime() - started).toMillis()).isBetween(900L, 4_000L);
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body())
                    .isEqualTo("{\"errcode\":\"M_UNKNOWN\",\"error\":\"The request body arrived too slowly\"}");
            assertThat(connection.closedByServerWithin(3_000)).isTrue();
            writer.interrupt();
        }
        // a body that arrives at once is read as usual
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.write(
                    "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n" + "c".repeat(2000));
            RawConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("c".repeat(2000));
        }
    }

    @Test
    void aBodyCutShortIsAClientErrorNotAServerError() throws Exception {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.POST,
                        "/echo",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "application/octet-stream", req.bodyBytes())));
        server = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .build();
        server.start();
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
            connection.shutdownOutput();
            RawConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.body())
                    .isEqualTo("{\"errcode\":\"M_UNKNOWN\",\"error\":\"The request body ended early\"}");
        }
    }

    @Test
    void aBodyThatStopsArrivingEndsAtTheIdleTimeoutWith408() throws Exception {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.POST,
                        "/echo",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.bytes(200, "application/octet-stream", req.bodyBytes())));
        server = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .idleTimeout(Duration.ofSeconds(1))
                .build();
        server.start();
        try (RawConnection connection = new RawConnection(server.port())) {
            connection.write("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
            RawConnection.Response response = connection.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body())
                    .isEqualTo("{\"errcode\":\"M_UNKNOWN\",\"error\":\"The request body arrived too slowly\"}");
            assertThat(connection.closedByServerWithin(3_000)).isTrue();
        }
    }

    @Test
    void timeoutsMustBePositive() {
        HttpServer.Builder builder = HttpServer.builder(new Router(), new ManualClock());
        assertThatThrownBy(() -> builder.requestHeaderTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.idleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requestBodyTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
