package dev.myelin.server.api;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.endpoint.SpecEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health}: {@code 200 OK} in plain text while the process serves requests, as Synapse
 * answers it, for load balancers' and container orchestrators' health checks.
 */
public final class HealthEndpoint extends SpecEndpoint {
    /** The endpoint's definition. */
    public static final EndpointSpec<NoBody, NoBody> SPEC =
            EndpointSpec.get("/health", NoBody.class).noAuth();

    private static final byte[] OK = "OK".getBytes(StandardCharsets.UTF_8);

    public HealthEndpoint() {
        super(SPEC);
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return MatrixResponse.bytes(200, "text/plain; charset=utf-8", OK);
    }
}
