package dev.myelin.http.server;

import java.util.Locale;
import java.util.Optional;

/** The HTTP methods an {@link Endpoint} can be registered for. */
public enum HttpMethod {
    /** {@code GET}: read. */
    GET,
    /** {@code HEAD}: a {@code GET} without the body. */
    HEAD,
    /** {@code POST}: create or act. */
    POST,
    /** {@code PUT}: create or replace at a known path. */
    PUT,
    /** {@code DELETE}: remove. */
    DELETE,
    /** {@code PATCH}: change part of a resource. */
    PATCH,
    /** {@code OPTIONS}: a CORS preflight, answered by the server itself. */
    OPTIONS;

    /** The method named {@code name} (case-sensitive, as on the wire), if it is one of these. */
    public static Optional<HttpMethod> parse(String name) {
        for (HttpMethod m : values()) {
            if (m.name().equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
