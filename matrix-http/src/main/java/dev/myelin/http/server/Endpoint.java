package dev.myelin.http.server;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One HTTP endpoint: its method, path template, auth and rate-limit metadata, and the code that
 * handles it. The intended shape is one small class per endpoint, with a javadoc link to the
 * spec section that defines it, registered with one line on a {@link Router}.
 *
 * <p>{@link #handle} runs on a virtual thread and may block. It sees only {@link MatrixRequest}
 * and {@link MatrixResponse}, never servlet or Jetty types. It signals failures by throwing
 * {@link dev.myelin.http.error.MatrixException}; any other exception becomes a generic 500
 * {@code M_UNKNOWN}.
 *
 * <p>Path templates are literal segments and {@code {name}} parameters, for example
 * {@code /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}. A parameter matches one
 * whole path segment (possibly empty) and is percent-decoded after matching, so {@code %2F}
 * inside an id is a slash in the value rather than a segment separator. A last segment
 * {@code {name...}} is a tail: it matches the rest of the path, zero or more segments, and its
 * value is that rest, percent-decoded (so {@link MatrixRequest#rawPath()} is the way to see its
 * original segments).
 *
 * <p>A {@code GET} endpoint also answers {@code HEAD}, with the same status and headers and no
 * body; {@link MatrixRequest#method()} then reports {@code HEAD}.
 */
public interface Endpoint {

    /**
     * The endpoint's definition, shared with clients. Endpoints built from an {@link
     * dev.myelin.http.endpoint.EndpointSpec} return it; others get one made from their methods.
     */
    default dev.myelin.http.endpoint.EndpointSpec<?, ?> spec() {
        return new dev.myelin.http.endpoint.EndpointSpec<>(method(), path(), auth(), rateLimitAction(),
                maxBodyBytes(), streamsBody(), false, dev.myelin.http.endpoint.NoBody.class,
                dev.myelin.http.endpoint.NoBody.class);
    }

    /**
     * The HTTP method this endpoint answers.
     *
     * @return the method
     */
    HttpMethod method();

    /** The path template; see the class documentation. */
    String path();

    /** Whether an access token is needed; {@link AuthRequirement#REQUIRED} unless overridden. */
    default AuthRequirement auth() {
        return AuthRequirement.REQUIRED;
    }

    /**
     * The rate-limit action this endpoint counts against (e.g. {@code "message"}), configured on
     * the server with a {@link dev.myelin.http.ratelimit.RateLimit}; requests are counted per
     * authenticated user, or per client IP when there is none. Empty for no limit.
     */
    default Optional<String> rateLimitAction() {
        return Optional.empty();
    }

    /** The largest request body accepted, overriding the server default (e.g. for media uploads). */
    default OptionalLong maxBodyBytes() {
        return OptionalLong.empty();
    }

    /**
     * Whether the endpoint reads its body as a stream of bytes of any type (media uploads): the
     * body is then never read by the server itself, not even to merge an
     * {@code application/x-www-form-urlencoded} body into the query arguments, so it is never
     * buffered in memory.
     */
    default boolean streamsBody() {
        return false;
    }

    /**
     * Answers one request; a Matrix error is thrown as {@link dev.myelin.http.error.MatrixException}.
     *
     * @param request the request, authenticated as {@link #auth()} demands
     * @return the response
     */
    MatrixResponse handle(MatrixRequest request);

    /**
     * A small endpoint from a function, for tests and trivial resources. Real endpoints are
     * better written as classes.
     */
    static Endpoint of(
            HttpMethod method, String path, AuthRequirement auth, Function<MatrixRequest, MatrixResponse> handler) {
        return new FunctionEndpoint(method, path, auth, Optional.empty(), handler);
    }

    /** As {@link #of(HttpMethod, String, AuthRequirement, Function)} with a rate-limit action. */
    static Endpoint of(
            HttpMethod method,
            String path,
            AuthRequirement auth,
            String rateLimitAction,
            Function<MatrixRequest, MatrixResponse> handler) {
        return new FunctionEndpoint(method, path, auth, Optional.of(rateLimitAction), handler);
    }
}
