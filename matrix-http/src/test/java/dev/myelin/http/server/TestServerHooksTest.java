package dev.myelin.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServer#forTests}: requests over a socket pass through the interceptor (in-memory ones
 * never do), and a stop does not wait on a kept-alive idle connection.
 */
class TestServerHooksTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private HttpServer build() {
        Router router = new Router()
                .register(Endpoint.of(
                        HttpMethod.GET,
                        "/ping",
                        AuthRequirement.NONE,
                        req -> MatrixResponse.ok(
                                JsonNodeFactory.instance.objectNode().put("pong", true))));
        server = HttpServer.builder(router, new ManualClock())
                .listen("127.0.0.1", 0)
                .localConnector()
                .build();
        return server;
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void theInterceptorAnswersOrDelaysSocketRequestsOnly() throws Exception {
        build().forTests((method, path) -> {
            seen.add(method + " " + path);
            return switch (path) {
                case "/fail" ->
                    ListenerInterceptor.Verdict.answer(new ListenerInterceptor.Answer(
                            503, Map.of("Retry-After", "1"), "{\"errcode\":\"M_UNKNOWN\"}"));
                case "/slow" -> ListenerInterceptor.Verdict.delay(Duration.ofMillis(200));
                default -> ListenerInterceptor.Verdict.PASS;
            };
        });
        server.start();

        try (RawConnection connection = new RawConnection(server.port())) {
            RawConnection.Response failed = connection.get("/fail?x=1", "");
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.head()).contains("Retry-After: 1").contains("Content-Type: application/json");
            assertThat(failed.body()).isEqualTo("{\"errcode\":\"M_UNKNOWN\"}");

            long start = System.nanoTime();
            RawConnection.Response slow = connection.get("/slow", "");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(slow.status()).isEqualTo(404); // served by the router after the delay
            assertThat(connection.get("/ping", "").body()).isEqualTo("{\"pong\":true}");
        }
        assertThat(server.localRequest("GET /fail HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertThat(seen).containsExactly("GET /fail", "GET /slow", "GET /ping");
    }

    @Test
    void stoppingDoesNotWaitForAnIdleKeptAliveConnection() throws Exception {
        build().forTests(ListenerInterceptor.NONE);
        server.start();
        try (RawConnection connection = new RawConnection(server.port())) {
            assertThat(connection.get("/ping", "").status()).isEqualTo(200);
            long start = System.nanoTime();
            server.stop();
            // Jetty's graceful stop would give the idle connection a second to go away
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
            assertThat(connection.closedByServerWithin(5_000)).isTrue();
        }
    }

    @Test
    void onlyBeforeStart() {
        build().start();
        assertThatThrownBy(() -> server.forTests(ListenerInterceptor.NONE)).isInstanceOf(IllegalStateException.class);
    }
}
