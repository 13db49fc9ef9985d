package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.storage.push.Pusher;
import dev.myelin.storage.push.PusherStore;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/pushers}: the user's pushers, as they were set.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushers">spec</a>
 */
public final class GetPushersEndpoint extends JsonEndpoint<NoBody, GetPushersEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get("/_matrix/client/v3/pushers", Response.class);

    /**
     * The pushers, each as it was stored by {@link SetPusherEndpoint} (written once there, by
     * {@link SetPusherEndpoint.Description}; {@code data} is free-form).
     */
    public record Response(List<ObjectNode> pushers) {}

    private final PusherStore store;

    public GetPushersEndpoint(PusherStore store) {
        super(SPEC);
        this.store = store;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(store.forUser(request.requireRequester().userId()).stream()
                .map(Pusher::json)
                .toList());
    }
}
