package dev.myelin.http.server;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
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
     * The endpoint's definition: method, path template, auth, rate limit, body limit and body
     * types. Clients send with the same definition.
     *
     * @return the definition
     */
    EndpointSpec<?, ?> spec();

    /**
     * Answers one request; a Matrix error is thrown as {@link dev.myelin.http.error.MatrixException}.
     *
     * @param request the request, authenticated as {@link EndpointSpec#auth()} demands
     * @return the response
     */
    MatrixResponse handle(MatrixRequest request);

    /**
     * The HTTP method of {@link #spec()}.
     *
     * @return the method
     */
    default HttpMethod method() {
        return spec().method();
    }

    /**
     * The path template of {@link #spec()}; see the class documentation.
     *
     * @return the template
     */
    default String path() {
        return spec().path();
    }

    /**
     * Whether an access token is needed, from {@link #spec()}.
     *
     * @return the requirement
     */
    default AuthRequirement auth() {
        return spec().auth();
    }

    /**
     * The rate-limit action this endpoint counts against (e.g. {@code "message"}), configured on
     * the server with a {@link dev.myelin.http.ratelimit.RateLimit}; requests are counted per
     * authenticated user, or per client IP when there is none. Empty for no limit.
     *
     * @return the action
     */
    default Optional<String> rateLimitAction() {
        return spec().rateLimitAction();
    }

    /**
     * The largest request body accepted, overriding the server default (e.g. for media uploads).
     *
     * @return the limit, or empty for the server default
     */
    default OptionalLong maxBodyBytes() {
        return spec().maxBodyBytes();
    }

    /**
     * Whether the endpoint reads its body as a stream of bytes of any type (media uploads): the
     * body is then never read by the server itself, not even to merge an
     * {@code application/x-www-form-urlencoded} body into the query arguments, so it is never
     * buffered in memory.
     *
     * @return true for streaming endpoints
     */
    default boolean streamsBody() {
        return spec().streamsBody();
    }

    /**
     * A small endpoint from a definition and a function, for tests and trivial resources. Real
     * endpoints are better written as classes.
     *
     * @param spec the definition
     * @param handler answers each request
     * @return the endpoint
     */
    static Endpoint of(EndpointSpec<?, ?> spec, Function<MatrixRequest, MatrixResponse> handler) {
        return new FunctionEndpoint(spec, handler);
    }

    /**
     * A small endpoint without bodies of declared types, for tests and trivial resources.
     *
     * @param method the method
     * @param path the path template
     * @param auth whether a token is needed
     * @param handler answers each request
     * @return the endpoint
     */
    static Endpoint of(
            HttpMethod method, String path, AuthRequirement auth, Function<MatrixRequest, MatrixResponse> handler) {
        return of(EndpointSpec.of(method, path, NoBody.class, NoBody.class).withAuth(auth), handler);
    }

    /**
     * As {@link #of(HttpMethod, String, AuthRequirement, Function)} with a rate-limit action.
     *
     * @param method the method
     * @param path the path template
     * @param auth whether a token is needed
     * @param rateLimitAction the rate-limit action counted against
     * @param handler answers each request
     * @return the endpoint
     */
    static Endpoint of(
            HttpMethod method,
            String path,
            AuthRequirement auth,
            String rateLimitAction,
            Function<MatrixRequest, MatrixResponse> handler) {
        return of(
                EndpointSpec.of(method, path, NoBody.class, NoBody.class)
                        .withAuth(auth)
                        .rateLimited(rateLimitAction),
                handler);
    }
}
