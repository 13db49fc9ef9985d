package dev.myelin.http.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.ServerName;
import dev.myelin.http.error.MatrixException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@link MatrixRequest} over a servlet request; the only place that touches servlet request types. */
final class ServletMatrixRequest implements MatrixRequest {

    private static final String FORM = "application/x-www-form-urlencoded";
    /**
     * Form bodies are merged into the arguments before authentication, so they are held to a small
     * size of their own whatever the endpoint's body limit is.
     */
    static final long MAX_FORM_BYTES = 64 * 1024;

    private final HttpServletRequest servlet;
    private final ObjectMapper json;
    private final String requestId;
    private final HttpMethod method;
    private final Map<String, String> pathParams;
    private final long maxBodyBytes;
    private final BodyPace bodyPace;
    private final String clientIp;
    private final Map<String, List<String>> args;
    private Optional<Requester> requester = Optional.empty();
    private Optional<ServerName> origin = Optional.empty();
    private byte[] body;
    private boolean streamTaken;

    ServletMatrixRequest(
            HttpServletRequest servlet,
            ObjectMapper json,
            String requestId,
            HttpMethod method,
            Map<String, String> pathParams,
            long maxBodyBytes,
            boolean trustForwardedFor,
            boolean mergeFormBody,
            BodyPace bodyPace) {
        this.servlet = servlet;
        this.bodyPace = bodyPace;
        this.json = json;
        this.requestId = requestId;
        this.method = method;
        this.pathParams = Collections.unmodifiableMap(new LinkedHashMap<>(pathParams));
        this.maxBodyBytes = maxBodyBytes;
        this.clientIp = clientIp(servlet, trustForwardedFor);
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        parseForm(servlet.getQueryString(), parsed);
        if (mergeFormBody && isForm()) {
            checkDeclaredLength(servlet, Math.min(maxBodyBytes, MAX_FORM_BYTES));
            body = BodyReader.readAll(rawStream(), Math.min(maxBodyBytes, MAX_FORM_BYTES));
            parseForm(new String(body, StandardCharsets.UTF_8), parsed);
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        parsed.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.args = Collections.unmodifiableMap(frozen);
    }

    /** Checks the declared length up front, so an oversized upload is refused before it is read. */
    static void checkDeclaredLength(HttpServletRequest servlet, long maxBodyBytes) {
        long declared = servlet.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw MatrixException.tooLarge(maxBodyBytes);
        }
    }

    private static String clientIp(HttpServletRequest servlet, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            var values = servlet.getHeaders("X-Forwarded-For");
            String last = null;
            while (values != null && values.hasMoreElements()) {
                for (String part : values.nextElement().split(",")) {
                    if (!part.isBlank()) {
                        last = part.trim();
                    }
                }
            }
            if (last != null) {
                return last;
            }
        }
        return servlet.getRemoteAddr();
    }

    private boolean isForm() {
        String type = servlet.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    private static void parseForm(String encoded, Map<String, List<String>> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        try {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                into.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        } catch (IllegalArgumentException e) {
            throw new MatrixException(400, dev.myelin.http.error.ErrorCode.INVALID_PARAM, "Malformed query string");
        }
    }

    void authenticated(Requester who) {
        this.requester = Optional.of(who);
    }

    void authenticatedServer(ServerName origin) {
        this.origin = Optional.of(origin);
    }

    @Override
    public Optional<ServerName> origin() {
        return origin;
    }

    @Override
    public Optional<String> rawQuery() {
        return Optional.ofNullable(servlet.getQueryString());
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String rawPath() {
        return servlet.getRequestURI();
    }

    @Override
    public Map<String, String> pathParams() {
        return pathParams;
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter {" + name + "}");
        }
        return value;
    }

    @Override
    public Map<String, List<String>> args() {
        return args;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(servlet.getHeader(name));
    }

    @Override
    public List<String> headers(String name) {
        var values = servlet.getHeaders(name);
        return values == null ? List.of() : List.copyOf(Collections.list(values));
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = servlet.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    return Optional.of(c.getValue());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public OptionalLong contentLength() {
        long length = servlet.getContentLengthLong();
        return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
    }

    @Override
    public ObjectNode jsonObject() {
        JsonNode node = json();
        if (!(node instanceof ObjectNode object)) {
            throw MatrixException.badJson("Content must be a JSON object");
        }
        return object;
    }

    @Override
    public JsonNode json() {
        byte[] bytes = bodyBytes();
        if (bytes.length == 0) {
            throw MatrixException.notJson("Content not JSON: empty body");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw MatrixException.notJson("Content not JSON");
            }
            return StorableJson.check(node);
        } catch (JacksonException e) {
            throw MatrixException.notJson("Content not JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] bodyBytes() {
        if (body == null) {
            if (streamTaken) {
                throw new IllegalStateException("body already consumed as a stream");
            }
            body = BodyReader.readAll(rawStream(), maxBodyBytes);
        }
        return body.clone();
    }

    @Override
    public InputStream bodyStream() {
        if (body != null) {
            return new ByteArrayInputStream(body);
        }
        if (streamTaken) {
            throw new IllegalStateException("body already consumed as a stream");
        }
        streamTaken = true;
        return BodyReader.limited(rawStream(), maxBodyBytes);
    }

    private InputStream rawStream() {
        try {
            return BodyReader.clientFailures(bodyPace.watch(servlet.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public Optional<String> accessToken() {
        String authorization = servlet.getHeader("Authorization");
        if (authorization != null) {
            String prefix = "Bearer ";
            if (authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
                String token = authorization.substring(prefix.length()).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
            return Optional.empty();
        }
        return queryParam("access_token").filter(t -> !t.isEmpty());
    }

    @Override
    public Optional<Requester> requester() {
        return requester;
    }
}
