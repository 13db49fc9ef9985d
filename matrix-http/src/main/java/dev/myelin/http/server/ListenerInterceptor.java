package dev.myelin.http.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A test seam in front of the network listeners: it sees each request that arrives over a socket
 * (never one through the in-memory connector) before anything else does, and may hold it back for a
 * while or answer it in the server's place. Tests use it to show a client under test slow answers,
 * {@code 429}s and {@code 5xx}s of a real server; production servers have none.
 *
 * <p>The interceptor is called on a Jetty thread and must not block: a delay is returned, not slept.
 */
@FunctionalInterface
public interface ListenerInterceptor {

    /** An interceptor that passes every request on at once. */
    ListenerInterceptor NONE = (method, path) -> Verdict.PASS;

    /**
     * What happens to one request.
     *
     * @param method the HTTP method
     * @param path the request path, still percent-encoded, without the query string
     */
    Verdict intercept(String method, String path);

    /**
     * The fate of one request: after {@code delay} (real time), either the server handles it or
     * {@code answer} is sent in its place.
     */
    record Verdict(Duration delay, Optional<Answer> answer) {
        /** The request goes to the server at once. */
        public static final Verdict PASS = new Verdict(Duration.ZERO, Optional.empty());

        /** Requires a delay that is not negative. */
        public Verdict {
            Objects.requireNonNull(answer, "answer");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delay);
            }
        }

        /** The request goes to the server after {@code delay}. */
        public static Verdict delay(Duration delay) {
            return new Verdict(delay, Optional.empty());
        }

        /** {@code answer} is sent at once; the server never sees the request. */
        public static Verdict answer(Answer answer) {
            return new Verdict(Duration.ZERO, Optional.of(answer));
        }
    }

    /**
     * A response sent in the server's place.
     *
     * @param status the HTTP status
     * @param headers extra headers, e.g. {@code Retry-After}
     * @param json the body, sent as {@code application/json}
     */
    record Answer(int status, Map<String, String> headers, String json) {
        /** Copies the headers. */
        public Answer {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(json, "json");
        }

        byte[] body() {
            return json.getBytes(StandardCharsets.UTF_8);
        }
    }
}
