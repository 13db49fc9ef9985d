package dev.myelin.server.api.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /.well-known/matrix/client}: tells clients which base URL to use.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#getwell-knownmatrixclient">spec</a>
 */
public final class WellKnownClientEndpoint extends JsonEndpoint<NoBody, WellKnownClientEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/.well-known/matrix/client", Response.class).noAuth();

    /** Where the homeserver is. */
    public record Response(@JsonProperty("m.homeserver") Homeserver homeserver) {}

    /** The homeserver's base URL. */
    public record Homeserver(String baseUrl) {}

    private final Response response;

    public WellKnownClientEndpoint(String publicBaseUrl) {
        super(SPEC);
        String baseUrl =
                publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        this.response = new Response(new Homeserver(baseUrl));
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return response;
    }
}
