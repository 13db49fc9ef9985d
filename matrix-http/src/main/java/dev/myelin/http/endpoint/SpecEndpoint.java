package dev.myelin.http.endpoint;

import dev.myelin.http.server.Endpoint;
import java.util.Objects;

/**
 * An endpoint whose metadata is its {@link EndpointSpec}: the base of endpoints that build their
 * own {@link dev.myelin.http.server.MatrixResponse} (media, redirects). Endpoints answering JSON
 * extend {@link JsonEndpoint} instead.
 */
public abstract class SpecEndpoint implements Endpoint {
    private final EndpointSpec<?, ?> spec;

    /** An endpoint served as {@code spec} says. */
    protected SpecEndpoint(EndpointSpec<?, ?> spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public final EndpointSpec<?, ?> spec() {
        return spec;
    }
}
