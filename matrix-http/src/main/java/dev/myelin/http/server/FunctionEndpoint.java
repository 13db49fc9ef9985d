package dev.myelin.http.server;

import dev.myelin.http.endpoint.EndpointSpec;
import java.util.Objects;
import java.util.function.Function;

/** An {@link Endpoint} made from a function; see {@link Endpoint#of}. */
record FunctionEndpoint(EndpointSpec<?, ?> spec, Function<MatrixRequest, MatrixResponse> handler) implements Endpoint {

    FunctionEndpoint {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return handler.apply(request);
    }
}
