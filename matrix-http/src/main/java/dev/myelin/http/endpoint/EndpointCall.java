package dev.myelin.http.endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One request to an endpoint as a client sends it: the {@link EndpointSpec}, the concrete path,
 * query arguments and body. A client's transport sends {@link #method()} {@link #uri()} with
 * {@link #bodyBytes()}, then reads the answer with {@link #readResponse(byte[])}; nothing in a
 * client spells a path or builds a body by hand.
 *
 * @param spec the endpoint
 * @param path the concrete, percent-encoded path
 * @param query the query arguments, in order (a name may repeat)
 * @param body the request body ({@link NoBody#INSTANCE} when the endpoint has none)
 * @param <B> the request body type
 * @param <R> the response body type
 */
public record EndpointCall<B, R>(EndpointSpec<B, R> spec, String path, List<Map.Entry<String, String>> query, B body) {

    /** Checks the fields and copies the query. */
    public EndpointCall {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        query = List.copyOf(query);
    }

    /** A call with a body and the path parameter values in template order. */
    public static <B, R> EndpointCall<B, R> of(EndpointSpec<B, R> spec, B body, Object... pathValues) {
        return new EndpointCall<>(spec, spec.pathOf(pathValues), List.of(), body);
    }

    /** A call without a body ({@code GET}, {@code DELETE}) with the path parameter values in template order. */
    public static <R> EndpointCall<NoBody, R> of(EndpointSpec<NoBody, R> spec, Object... pathValues) {
        return new EndpointCall<>(spec, spec.pathOf(pathValues), List.of(), NoBody.INSTANCE);
    }

    /** This call with one more query argument. */
    public EndpointCall<B, R> query(String name, Object value) {
        List<Map.Entry<String, String>> more = new ArrayList<>(query);
        more.add(Map.entry(name, String.valueOf(value)));
        return new EndpointCall<>(spec, path, more, body);
    }

    /** The HTTP method. */
    public String method() {
        return spec.method().name();
    }

    /** The path and the encoded query string. */
    public String uri() {
        if (query.isEmpty()) {
            return path;
        }
        StringBuilder out = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> arg : query) {
            out.append(sep)
                    .append(URLEncoder.encode(arg.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(arg.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return out.toString();
    }

    /** Whether a body is sent. */
    public boolean hasBody() {
        return !(body instanceof NoBody);
    }

    /** The JSON body bytes; empty when the endpoint has no body. */
    public byte[] bodyBytes() {
        return hasBody() ? EndpointJson.toBytes(body) : new byte[0];
    }

    /** Binds a successful response body to the endpoint's response type. */
    public R readResponse(byte[] json) {
        return EndpointJson.fromBytes(json, spec.responseBody());
    }
}
