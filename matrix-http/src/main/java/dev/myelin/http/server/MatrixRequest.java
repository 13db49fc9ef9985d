package dev.myelin.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An incoming HTTP request as endpoint code sees it: method, path and path parameters, query
 * arguments, headers, cookies, body and the authenticated requester. It hides the servlet
 * container entirely.
 *
 * <p>The body is read at most once, lazily, and never beyond the endpoint's size limit: a larger
 * body fails with 413 {@code M_TOO_LARGE} before any parsing.
 */
public interface MatrixRequest {

    /** An id for this request, unique within the server process; also in the SLF4J MDC as {@code request_id}. */
    String requestId();

    /**
     * The request's method ({@code HEAD} for a {@code HEAD} served by a {@code GET} endpoint).
     *
     * @return the method
     */
    HttpMethod method();

    /** The request path exactly as received, still percent-encoded, without the query string. */
    String rawPath();

    /** All path parameters of the matched template, percent-decoded. */
    Map<String, String> pathParams();

    /**
     * The percent-decoded value of a path parameter of the matched template.
     *
     * @throws IllegalArgumentException if the template has no such parameter (a programming error)
     */
    String pathParam(String name);

    /**
     * All query arguments, with repeated keys kept in order. For form-encoded bodies
     * ({@code application/x-www-form-urlencoded}) the form fields are merged in after the query.
     */
    Map<String, List<String>> args();

    /** The first value of a query argument. */
    default Optional<String> queryParam(String name) {
        List<String> values = args().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** Every value of a query argument, in order; empty if absent. */
    default List<String> queryParams(String name) {
        return args().getOrDefault(name, List.of());
    }

    /** The first value of a query argument, or 400 {@code M_MISSING_PARAM}. */
    default String requireQueryParam(String name) {
        return queryParam(name).orElseThrow(() -> MatrixException.missingParam(name));
    }

    /** The first value of a header (case-insensitive name). */
    Optional<String> header(String name);

    /** Every value of a header, in order. */
    List<String> headers(String name);

    /** A request cookie by name. */
    Optional<String> cookie(String name);

    /** The {@code Content-Type} header, if any. */
    default Optional<String> contentType() {
        return header("Content-Type");
    }

    /** The declared {@code Content-Length}, if any. */
    OptionalLong contentLength();

    /**
     * The body as a JSON object.
     *
     * @throws MatrixException 413 {@code M_TOO_LARGE}, 400 {@code M_NOT_JSON} if the body is empty
     *     or not JSON, 400 {@code M_BAD_JSON} if it is JSON but not an object, or holds a string or
     *     key with a lone UTF-16 surrogate or a number too large to represent
     */
    ObjectNode jsonObject();

    /**
     * The body as any JSON value.
     *
     * @throws MatrixException 413 {@code M_TOO_LARGE}, 400 {@code M_NOT_JSON}, or 400
     *     {@code M_BAD_JSON} for a string or key with a lone UTF-16 surrogate or a number too large
     *     to represent
     */
    JsonNode json();

    /**
     * The whole body.
     *
     * @throws MatrixException 413 {@code M_TOO_LARGE}
     */
    byte[] bodyBytes();

    /**
     * The body as a stream, for media; reading past the size limit throws 413 {@code M_TOO_LARGE}.
     * Only one of the body accessors reads the network; after it, the others see the buffered copy
     * ({@code bodyStream} after a buffered read replays it).
     */
    InputStream bodyStream();

    /**
     * The client's IP address: the peer address, or the last {@code X-Forwarded-For} entry when
     * the server is configured to trust the proxy in front of it.
     */
    String clientIp();

    /** The access token from {@code Authorization: Bearer} or the {@code access_token} query argument. */
    Optional<String> accessToken();

    /** The authenticated requester; present whenever a valid token was given and the endpoint is not {@code NONE}. */
    Optional<Requester> requester();

    /** The authenticated requester, or 401 {@code M_MISSING_TOKEN}. */
    default Requester requireRequester() {
        return requester().orElseThrow(MatrixException::missingToken);
    }

    /**
     * The query string as received, percent-encoding kept, without the {@code ?}; empty when the
     * request has none.
     */
    default Optional<String> rawQuery() {
        return Optional.empty();
    }

    /**
     * The server that signed the request, for endpoints with {@link AuthRequirement#SERVER}; empty
     * otherwise.
     */
    default Optional<dev.myelin.core.id.ServerName> origin() {
        return Optional.empty();
    }

    /** The server that signed the request, or 401 {@code M_UNAUTHORIZED}. */
    default dev.myelin.core.id.ServerName requireOrigin() {
        return origin().orElseThrow(() -> new MatrixException(
                401, dev.myelin.http.error.ErrorCode.UNAUTHORIZED, "Missing X-Matrix Authorization header"));
    }
}
