package dev.myelin.server.api.admin;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.cli.Version;

/**
 * {@code GET /_synapse/admin/v1/server_version}: the server's version, at the path and in the shape
 * of Synapse's admin API (which asks no authentication for it), so that admin tools such as synadm
 * can tell what they talk to.
 */
public final class ServerVersionEndpoint extends JsonEndpoint<NoBody, ServerVersionEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_synapse/admin/v1/server_version", Response.class)
            .noAuth();

    /** The version, e.g. {@code Myelin 0.1.0}. */
    public record Response(String serverVersion) {}

    public ServerVersionEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response("Myelin " + Version.current());
    }
}
