package dev.myelin.http.server;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one INFO line per request on the logger {@value #LOGGER_NAME}, so operators can route it
 * to its own file or silence it without touching the server's other logging:
 *
 * <pre>
 * GET /_matrix/client/v3/sync 200 30012ms @alice:example.org
 * PUT /_matrix/client/v3/rooms/!r:example.org/send/m.room.message/t1 429 2ms @bob:example.org
 * GET /_matrix/client/v3/nothing/here 404 0ms -
 * GET /_matrix/client/v3/bad%2e%2e/path 400 - -
 * </pre>
 *
 * <p>Fields: method, path, status, duration (from the request reaching the servlet to the last
 * byte of the response handed to Jetty, measured on the server's {@code Clock}), and the
 * authenticated user, or {@code -}. The path is the raw request path (still percent-encoded, so a
 * line can never be split by a decoded control character) without the query string: Matrix puts
 * secrets in the query ({@code access_token}, and tokens, client secrets and session ids of
 * registration and login flows), in headers or in the body, never in the path, and dropping the
 * whole query is simpler to trust than removing known parameter names one by one. The concrete
 * path rather than the route's template is kept because which room, user or media a request was
 * about is what an operator looks for, and an unknown path has no template. Requests that Jetty
 * refuses before routing (answered by {@link JsonErrorHandler}) get a line too, with {@code -} for
 * the duration and the user.
 */
final class AccessLog {

    /** The logger every access line is written to. */
    static final String LOGGER_NAME = "dev.myelin.http.access";

    /** The servlet request attribute holding the authenticated user's id, once known. */
    static final String USER_ATTRIBUTE = AccessLog.class.getName() + ".user";

    private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);

    private AccessLog() {}

    /** A request the servlet handled, whatever its outcome. */
    static void record(String method, String path, int status, long durationNanos, Optional<String> user) {
        if (log.isInfoEnabled()) {
            log.info("{} {} {} {}ms {}", method, path, status, durationNanos / 1_000_000, user.orElse("-"));
        }
    }

    /**
     * A request Jetty refused before it reached the servlet (a bad URI, oversized headers): no
     * duration was measured and no user is known, so both are {@code -}.
     */
    static void recordRejected(String method, String path, int status) {
        if (log.isInfoEnabled()) {
            log.info("{} {} {} - -", method, path, status);
        }
    }
}
