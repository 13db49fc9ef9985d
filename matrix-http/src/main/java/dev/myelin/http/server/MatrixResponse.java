package dev.myelin.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an {@link Endpoint} answers: status, extra headers, cookies to set, and a body that is
 * JSON, bytes or a stream. Immutable; the {@code with*} methods return copies.
 *
 * @param status the HTTP status code
 * @param headers extra response headers (CORS headers are added by the server)
 * @param cookies cookies to set
 * @param body the body
 */
public record MatrixResponse(int status, List<Header> headers, List<Cookie> cookies, Body body) {

    /** Checks the status and copies the header and cookie lists. */
    public MatrixResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("bad status " + status);
        }
        headers = List.copyOf(headers);
        cookies = List.copyOf(cookies);
        Objects.requireNonNull(body, "body");
    }

    /** 200 with a JSON body. */
    public static MatrixResponse ok(JsonNode json) {
        return json(200, json);
    }

    /** 200 with an empty JSON object, the usual answer of endpoints with nothing to say. */
    public static MatrixResponse ok() {
        return json(200, JsonNodeFactory.instance.objectNode());
    }

    /**
     * A JSON body with any status.
     *
     * @param status the HTTP status
     * @param json the body
     * @return the response
     */
    public static MatrixResponse json(int status, JsonNode json) {
        return new MatrixResponse(status, List.of(), List.of(), new Body.Json(json));
    }

    /**
     * A byte body of a given type.
     *
     * @param status the HTTP status
     * @param contentType the media type
     * @param bytes the body
     * @return the response
     */
    public static MatrixResponse bytes(int status, String contentType, byte[] bytes) {
        return new MatrixResponse(status, List.of(), List.of(), new Body.Bytes(contentType, bytes));
    }

    /** A streamed body, e.g. media; {@code length} is sent as {@code Content-Length} when present. */
    public static MatrixResponse stream(int status, String contentType, OptionalLong length, StreamWriter writer) {
        return new MatrixResponse(status, List.of(), List.of(), new Body.Stream(contentType, length, writer));
    }

    /** A response without a body. */
    public static MatrixResponse empty(int status) {
        return new MatrixResponse(status, List.of(), List.of(), new Body.Empty());
    }

    /**
     * This response with one more header.
     *
     * @param name the header name
     * @param value its value
     * @return the changed copy
     */
    public MatrixResponse withHeader(String name, String value) {
        List<Header> copy = new ArrayList<>(headers);
        copy.add(new Header(name, value));
        return new MatrixResponse(status, copy, cookies, body);
    }

    /**
     * This response with one more cookie to set.
     *
     * @param cookie the cookie
     * @return the changed copy
     */
    public MatrixResponse withCookie(Cookie cookie) {
        List<Cookie> copy = new ArrayList<>(cookies);
        copy.add(cookie);
        return new MatrixResponse(status, headers, copy, body);
    }

    /** One response header. */
    public record Header(String name, String value) {
        /** Requires name and value. */
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A cookie to set.
     *
     * @param maxAge lifetime; empty for a session cookie, zero to delete
     * @param sameSite {@code Strict}, {@code Lax} or {@code None}, if set
     */
    public record Cookie(
            String name,
            String value,
            String path,
            Optional<Duration> maxAge,
            boolean secure,
            boolean httpOnly,
            Optional<String> sameSite) {
        /** Requires every part (the optional ones possibly empty). */
        public Cookie {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(sameSite, "sameSite");
        }

        /** A secure, HTTP-only session cookie for {@code path}. */
        public static Cookie of(String name, String value, String path) {
            return new Cookie(name, value, path, Optional.empty(), true, true, Optional.empty());
        }
    }

    /** Writes a streamed body. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * Writes the body.
         *
         * @param out the response stream, closed by the caller
         * @throws IOException when the client goes away
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A response body. */
    public sealed interface Body {
        /** No body. */
        record Empty() implements Body {}

        /** A JSON body, sent as {@code application/json}. */
        record Json(JsonNode json) implements Body {
            /** Requires the JSON. */
            public Json {
                Objects.requireNonNull(json, "json");
            }
        }

        /** A byte body of the given content type. */
        record Bytes(String contentType, byte[] bytes) implements Body {
            /** Requires the type and the bytes. */
            public Bytes {
                Objects.requireNonNull(contentType, "contentType");
                Objects.requireNonNull(bytes, "bytes");
            }
        }

        /** A body streamed by {@code writer}. */
        record Stream(String contentType, OptionalLong length, StreamWriter writer) implements Body {
            /** Requires type, length (possibly empty) and writer. */
            public Stream {
                Objects.requireNonNull(contentType, "contentType");
                Objects.requireNonNull(length, "length");
                Objects.requireNonNull(writer, "writer");
            }
        }
    }
}
