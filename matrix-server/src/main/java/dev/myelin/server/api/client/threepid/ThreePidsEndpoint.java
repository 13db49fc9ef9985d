package dev.myelin.server.api.client.threepid;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.threepid.ThreePids;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/account/3pid}: the account's third-party ids, oldest first.
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

    private final ThreePids threePids;

    public ThreePidsEndpoint(ThreePids threePids) {
        super(SPEC);
        this.threePids = threePids;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(threePids.of(request.requireRequester().userId()).stream()
                .map(t -> new ThreePid(t.medium(), t.address(), t.validatedAt(), t.addedAt()))
                .toList());
    }
}
