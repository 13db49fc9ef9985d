package dev.myelin.http.endpoint;

import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

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

    @Override
    public final HttpMethod method() {
        return spec.method();
    }

    @Override
    public final String path() {
        return spec.path();
    }

    @Override
    public final AuthRequirement auth() {
        return spec.auth();
    }

    @Override
    public final Optional<String> rateLimitAction() {
        return spec.rateLimitAction();
    }

    @Override
    public final OptionalLong maxBodyBytes() {
        return spec.maxBodyBytes();
    }

    @Override
    public final boolean streamsBody() {
        return spec.streamsBody();
    }
}
