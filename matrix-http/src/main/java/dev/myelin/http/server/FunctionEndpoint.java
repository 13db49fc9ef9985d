package dev.myelin.http.server;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** An {@link Endpoint} made from a function; see {@link Endpoint#of}. */
record FunctionEndpoint(
        HttpMethod method,
        String path,
        AuthRequirement auth,
        Optional<String> rateLimitAction,
        Function<MatrixRequest, MatrixResponse> handler)
        implements Endpoint {

    FunctionEndpoint {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(handler, "handler");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return handler.apply(request);
    }
}
