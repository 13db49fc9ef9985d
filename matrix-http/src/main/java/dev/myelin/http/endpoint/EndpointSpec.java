package dev.myelin.http.endpoint;

import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one HTTP endpoint of the Matrix APIs is: its method, path template, authentication, rate
 * limit, body limit, and the types of its request body and response body. One constant of this
 * type per endpoint is the single definition that the server's router serves and that clients
 * (the test client, the benchmark, the federation client) send with, so a path or a body shape is
 * never spelled twice.
 *
 * <p>Path templates are literal segments and {@code {name}} parameters, optionally ending in a
 * {@code {name...}} tail; see {@link dev.myelin.http.server.Endpoint}.
 *
 * <p>The request body type is {@link NoBody} for endpoints without one, {@code ObjectNode} or
 * {@code JsonNode} for free-form JSON (event content, account data), or a record bound by
 * {@link EndpointJson}. The response type is a record, {@code ObjectNode}/{@code JsonNode} for
 * free-form JSON, {@link EmptyResponse} for {@code {}}, or {@link NoBody} when the endpoint
 * answers with something other than JSON (media).
 *
 * @param method the HTTP method
 * @param path the path template
 * @param auth whether an access token is needed
 * @param rateLimitAction the rate-limit action counted against (e.g. {@code "message"}), or empty
 * @param maxBodyBytes the largest request body accepted when larger than the server default
 * @param streamsBody whether the body is read as a stream of any content type (media uploads)
 * @param bodyOptional whether an absent body counts as {@code {}} (membership endpoints)
 * @param requestBody the request body type
 * @param responseBody the response body type
 * @param <B> the request body type
 * @param <R> the response body type
 */
public record EndpointSpec<B, R>(
        HttpMethod method,
        String path,
        AuthRequirement auth,
        Optional<String> rateLimitAction,
        OptionalLong maxBodyBytes,
        boolean streamsBody,
        boolean bodyOptional,
        Class<B> requestBody,
        Class<R> responseBody) {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(\\.\\.\\.)?}");

    /** Checks the fields; a template must start with {@code /}. */
    public EndpointSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(rateLimitAction, "rateLimitAction");
        Objects.requireNonNull(maxBodyBytes, "maxBodyBytes");
        Objects.requireNonNull(requestBody, "requestBody");
        Objects.requireNonNull(responseBody, "responseBody");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + path);
        }
    }

    /** A {@code GET} endpoint that needs an access token. */
    public static <R> EndpointSpec<NoBody, R> get(String path, Class<R> response) {
        return of(HttpMethod.GET, path, NoBody.class, response);
    }

    /** A {@code DELETE} endpoint without a body that needs an access token. */
    public static <R> EndpointSpec<NoBody, R> delete(String path, Class<R> response) {
        return of(HttpMethod.DELETE, path, NoBody.class, response);
    }

    /** A {@code POST} endpoint that needs an access token. */
    public static <B, R> EndpointSpec<B, R> post(String path, Class<B> body, Class<R> response) {
        return of(HttpMethod.POST, path, body, response);
    }

    /** A {@code PUT} endpoint that needs an access token. */
    public static <B, R> EndpointSpec<B, R> put(String path, Class<B> body, Class<R> response) {
        return of(HttpMethod.PUT, path, body, response);
    }

    /** An endpoint of any method that needs an access token, with no rate limit. */
    public static <B, R> EndpointSpec<B, R> of(HttpMethod method, String path, Class<B> body, Class<R> response) {
        return new EndpointSpec<>(
                method,
                path,
                AuthRequirement.REQUIRED,
                Optional.empty(),
                OptionalLong.empty(),
                false,
                false,
                body,
                response);
    }

    /** This endpoint with another authentication requirement. */
    public EndpointSpec<B, R> withAuth(AuthRequirement auth) {
        return new EndpointSpec<>(
                method,
                path,
                auth,
                rateLimitAction,
                maxBodyBytes,
                streamsBody,
                bodyOptional,
                requestBody,
                responseBody);
    }

    /** This endpoint without authentication ({@link AuthRequirement#NONE}). */
    public EndpointSpec<B, R> noAuth() {
        return withAuth(AuthRequirement.NONE);
    }

    /** This endpoint for other servers only, signed with X-Matrix ({@link AuthRequirement#SERVER}). */
    public EndpointSpec<B, R> serverAuth() {
        return withAuth(AuthRequirement.SERVER);
    }

    /** This endpoint using a token when one is given ({@link AuthRequirement#OPTIONAL}). */
    public EndpointSpec<B, R> optionalAuth() {
        return withAuth(AuthRequirement.OPTIONAL);
    }

    /** This endpoint counted against the given rate-limit action. */
    public EndpointSpec<B, R> rateLimited(String action) {
        return new EndpointSpec<>(
                method,
                path,
                auth,
                Optional.of(action),
                maxBodyBytes,
                streamsBody,
                bodyOptional,
                requestBody,
                responseBody);
    }

    /** This endpoint accepting bodies up to {@code bytes}, overriding the server default. */
    public EndpointSpec<B, R> maxBody(long bytes) {
        return new EndpointSpec<>(
                method,
                path,
                auth,
                rateLimitAction,
                OptionalLong.of(bytes),
                streamsBody,
                bodyOptional,
                requestBody,
                responseBody);
    }

    /** This endpoint reading its body as a stream of any content type, never buffered. */
    public EndpointSpec<B, R> streaming() {
        return new EndpointSpec<>(
                method, path, auth, rateLimitAction, maxBodyBytes, true, bodyOptional, requestBody, responseBody);
    }

    /**
     * This endpoint treating an absent body as {@code {}}: clients send some requests both with
     * {@code {}} and with nothing, and Synapse accepts both.
     */
    public EndpointSpec<B, R> bodyMayBeAbsent() {
        return new EndpointSpec<>(
                method, path, auth, rateLimitAction, maxBodyBytes, streamsBody, true, requestBody, responseBody);
    }

    /** The names of the path parameters, in template order. */
    public List<String> pathParamNames() {
        List<String> names = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * The request path for these parameter values, in template order, each percent-encoded as one
     * segment (a tail parameter keeps its {@code /} separators). This is how clients build the
     * path they send to.
     *
     * @throws IllegalArgumentException if the number of values differs from the template's
     */
    public String pathOf(Object... values) {
        Matcher m = PARAM.matcher(path);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (m.find()) {
            if (i >= values.length) {
                throw new IllegalArgumentException("too few path values for " + path);
            }
            String value = String.valueOf(values[i++]);
            String encoded = m.group(2) != null ? encodeTail(value) : encodeSegment(value);
            m.appendReplacement(out, Matcher.quoteReplacement(encoded));
        }
        m.appendTail(out);
        if (i != values.length) {
            throw new IllegalArgumentException("too many path values for " + path);
        }
        return out.toString();
    }

    private static String encodeTail(String value) {
        String[] parts = value.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encodeSegment(parts[i]));
        }
        return out.toString();
    }

    /** Percent-encodes one path segment (RFC 3986: everything but unreserved characters). */
    public static String encodeSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
