package dev.myelin.server.api.client.account;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/account/3pid}: the account's third-party ids. This server
 * binds none (the {@code m.3pid_changes} capability is off), so the list is always empty; clients'
 * settings screens still call it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3account3pid">spec</a>
 */
public final class ThreePidsEndpoint extends JsonEndpoint<NoBody, ThreePidsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/account/3pid", Response.class);

    /** The bound third-party ids. */
    public record Response(List<ThreePid> threepids) {}

    /** One bound third-party id. */
    public record ThreePid(String medium, String address, long validatedAt, long addedAt) {}

    public ThreePidsEndpoint() {
        super(SPEC);
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        request.requireRequester();
        return new Response(List.of());
    }
}
