package dev.myelin.server.api.federation;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.cli.Version;

/**
 * {@code GET /_matrix/federation/v1/version}: the implementation's name and version, for other
 * servers' operators. The spec asks for no signature here, and Synapse asks for none.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1version">spec</a>
 */
public final class FederationVersionEndpoint extends JsonEndpoint<NoBody, FederationVersionEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/federation/v1/version", Response.class).noAuth();

    /**
     * The answer.
     *
     * @param server the implementation
     */
    public record Response(Server server) {}

    /**
     * An implementation's name and version.
     *
     * @param name {@code Myelin}
     * @param version the build's version
     */
    public record Server(String name, String version) {}

    public FederationVersionEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(new Server("Myelin", Version.current()));
    }
}
