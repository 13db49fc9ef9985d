package dev.myelin.http.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The one error type that reaches Matrix clients: an HTTP status, an {@link ErrorCode}, a
 * human-readable message and optional extra fields (for example {@code retry_after_ms} or
 * {@code soft_logout}).
 *
 * <p>Endpoint code throws it ({@code throw MatrixException.forbidden("not in room")}); the HTTP
 * layer turns it into the standard error body with {@link #toJson()}. Any other exception
 * escaping an endpoint is answered with a generic 500 {@code M_UNKNOWN}, so a message given here
 * is the only text a client ever sees.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#standard-error-response">Standard
 *     error response</a>
 */
public final class MatrixException extends RuntimeException {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int status;
    private final ErrorCode errcode;
    private final Map<String, JsonNode> extra;
    private final ObjectNode body;

    /** An error with no extra fields. */
    public MatrixException(int status, ErrorCode errcode, String message) {
        this(status, errcode, message, Map.of(), null);
    }

    /** An error with extra top-level fields; {@code errcode} and {@code error} cannot be overridden. */
    public MatrixException(
            int status, ErrorCode errcode, String message, Map<String, JsonNode> extra, Throwable cause) {
        this(status, errcode, message, extra, cause, null);
    }

    private MatrixException(
            int status,
            ErrorCode errcode,
            String message,
            Map<String, JsonNode> extra,
            Throwable cause,
            ObjectNode body) {
        super(Objects.requireNonNull(message, "message"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.errcode = Objects.requireNonNull(errcode, "errcode");
        Map<String, JsonNode> copy = new LinkedHashMap<>(extra);
        copy.remove("errcode");
        copy.remove("error");
        this.extra = Collections.unmodifiableMap(copy);
        this.body = body == null ? null : body.deepCopy();
    }

    /**
     * 401 for user-interactive authentication: {@code body} is the whole answer the spec defines
     * ({@code flows}, {@code params}, {@code session}, {@code completed}, and {@code errcode} with
     * {@code error} when a stage failed), sent as it is instead of the standard error body. The
     * exception's own {@link #errcode()} and message are the body's, or {@code M_UNAUTHORIZED}
     * when the body has none (the first answer of an auth dance is not a failure).
     *
     * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#user-interactive-authentication-api">UIA</a>
     */
    public static MatrixException authRequired(ObjectNode body) {
        Objects.requireNonNull(body, "body");
        ErrorCode errcode = body.path("errcode").isTextual()
                        && !body.path("errcode").asText().isBlank()
                ? ErrorCode.of(body.path("errcode").asText())
                : ErrorCode.UNAUTHORIZED;
        String message = body.path("error").isTextual()
                ? body.path("error").asText()
                : "User-interactive authentication required";
        return new MatrixException(401, errcode, message, Map.of(), null, body);
    }

    /**
     * 403 {@code M_FORBIDDEN}: the requester may not do this.
     *
     * @param message the explanation sent to the client
     * @return the exception
     */
    public static MatrixException forbidden(String message) {
        return new MatrixException(403, ErrorCode.FORBIDDEN, message);
    }

    /**
     * 404 {@code M_NOT_FOUND}.
     *
     * @param message the explanation sent to the client
     * @return the exception
     */
    public static MatrixException notFound(String message) {
        return new MatrixException(404, ErrorCode.NOT_FOUND, message);
    }

    /**
     * 400 {@code M_BAD_JSON}: valid JSON of the wrong shape.
     *
     * @param message the explanation sent to the client
     * @return the exception
     */
    public static MatrixException badJson(String message) {
        return new MatrixException(400, ErrorCode.BAD_JSON, message);
    }

    /**
     * 400 {@code M_NOT_JSON}: the body is not JSON.
     *
     * @param message the explanation sent to the client
     * @return the exception
     */
    public static MatrixException notJson(String message) {
        return new MatrixException(400, ErrorCode.NOT_JSON, message);
    }

    /** A required query, path or body parameter is absent; the message names it. */
    public static MatrixException missingParam(String name) {
        return new MatrixException(400, ErrorCode.MISSING_PARAM, "Missing parameter: " + name);
    }

    /** A parameter has a value of the wrong type or out of range. */
    public static MatrixException invalidParam(String name, String reason) {
        return new MatrixException(400, ErrorCode.INVALID_PARAM, "Invalid parameter " + name + ": " + reason);
    }

    /**
     * The access token is not recognised. {@code softLogout} tells the client whether its device
     * survives (see the spec's soft logout section).
     */
    public static MatrixException unknownToken(String message, boolean softLogout) {
        return new MatrixException(
                401, ErrorCode.UNKNOWN_TOKEN, message, Map.of("soft_logout", NODES.booleanNode(softLogout)), null);
    }

    /**
     * 401 {@code M_MISSING_TOKEN}: the endpoint needs an access token and none was sent.
     *
     * @return the exception
     */
    public static MatrixException missingToken() {
        return new MatrixException(401, ErrorCode.MISSING_TOKEN, "Missing access token");
    }

    /** Rate limited: 429 with {@code retry_after_ms}; the HTTP layer adds a {@code Retry-After} header. */
    public static MatrixException limitExceeded(long retryAfterMs) {
        return new MatrixException(
                429,
                ErrorCode.LIMIT_EXCEEDED,
                "Too many requests",
                Map.of("retry_after_ms", NODES.numberNode(Math.max(0, retryAfterMs))),
                null);
    }

    /** The request body or entity exceeds {@code limitBytes}. */
    public static MatrixException tooLarge(long limitBytes) {
        return new MatrixException(
                413, ErrorCode.TOO_LARGE, "Request body exceeds the limit of " + limitBytes + " bytes");
    }

    /** 404 for an endpoint this server does not implement. */
    public static MatrixException unrecognized() {
        return new MatrixException(404, ErrorCode.UNRECOGNIZED, "Unrecognized request");
    }

    /** 405 for a known path requested with a method it does not support. */
    public static MatrixException methodNotAllowed() {
        return new MatrixException(405, ErrorCode.UNRECOGNIZED, "Unrecognized request");
    }

    /** A generic server-side failure; the message must not leak internals. */
    public static MatrixException unknown(String message) {
        return new MatrixException(500, ErrorCode.UNKNOWN, message);
    }

    /**
     * Rebuilds an error received from a remote server from its status and body. Unknown codes are
     * kept verbatim; a body that is not a Matrix error becomes {@code M_UNKNOWN}.
     */
    public static MatrixException fromJson(int status, @Nullable JsonNode body) {
        int safeStatus = status >= 400 && status <= 599 ? status : 500;
        if (body == null
                || !body.isObject()
                || !body.path("errcode").isTextual()
                || body.path("errcode").asText().isBlank()) {
            return new MatrixException(safeStatus, ErrorCode.UNKNOWN, "Remote server returned status " + status);
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        body.properties().forEach(e -> extra.put(e.getKey(), e.getValue().deepCopy()));
        String message = body.path("error").isTextual() ? body.path("error").asText() : "";
        return new MatrixException(safeStatus, ErrorCode.of(body.path("errcode").asText()), message, extra, null);
    }

    /** A copy of this error with one more extra field. */
    public MatrixException withField(String name, JsonNode value) {
        Map<String, JsonNode> copy = new LinkedHashMap<>(extra);
        copy.put(name, value);
        if (body != null) {
            ObjectNode more = body.deepCopy();
            more.set(name, value);
            return new MatrixException(status, errcode, getMessage(), extra, getCause(), more);
        }
        return new MatrixException(status, errcode, getMessage(), copy, getCause());
    }

    /**
     * The HTTP status of the error response.
     *
     * @return a 4xx or 5xx status
     */
    public int status() {
        return status;
    }

    /**
     * The {@code errcode} of the error response.
     *
     * @return the code
     */
    public ErrorCode errcode() {
        return errcode;
    }

    /** Extra top-level fields of the error body, in insertion order. */
    public Map<String, JsonNode> extra() {
        return extra;
    }

    /** {@code retry_after_ms} when present and numeric. */
    public OptionalLong retryAfterMs() {
        JsonNode node = extra.get("retry_after_ms");
        return node != null && node.canConvertToLong() ? OptionalLong.of(node.asLong()) : OptionalLong.empty();
    }

    /**
     * The standard error body: {@code {"errcode": ..., "error": ..., <extra fields>}}, or the
     * complete body given to {@link #authRequired(ObjectNode)}.
     */
    public ObjectNode toJson() {
        if (body != null) {
            return body.deepCopy();
        }
        ObjectNode body = NODES.objectNode();
        body.put("errcode", errcode.value());
        body.put("error", getMessage());
        extra.forEach((k, v) -> body.set(k, v.deepCopy()));
        return body;
    }
}
