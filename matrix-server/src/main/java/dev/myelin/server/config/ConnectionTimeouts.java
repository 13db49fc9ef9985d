package dev.myelin.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long clients may hold the HTTP listeners' connections ({@code http_timeouts} in
 * {@code homeserver.yaml}).
 *
 * @param idle {@code idle}: how long a connection may stay open with no byte sent either way
 * @param requestHeaders {@code request_headers}: how long a client may take to send a request's
 *     headers (the first request's counted from the connection opening, later ones' from their
 *     first byte); the connection is closed when it runs out
 * @param requestBody {@code request_body}: how long a request body may take, plus one second per
 *     500 bytes received; a body falling behind is answered with 408
 */
public record ConnectionTimeouts(Duration idle, Duration requestHeaders, Duration requestBody) {
    /** 30 s idle, 15 s for request headers, 20 s (plus one second per 500 bytes) for a body. */
    public static final ConnectionTimeouts DEFAULT =
            new ConnectionTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(20));

    public ConnectionTimeouts {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(requestBody, "requestBody");
    }
}
