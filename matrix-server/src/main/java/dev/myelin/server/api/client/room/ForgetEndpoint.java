package dev.myelin.server.api.client.room;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.room.MembershipHandler;

/**
 * {@code POST /_matrix/client/v3/rooms/{roomId}/forget}: only after leaving. The body (the spec's
 * {@code {}}) says nothing, so it is not read.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidforget">spec</a>
 */
public final class ForgetEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.post("/_matrix/client/v3/rooms/{roomId}/forget", NoBody.class, EmptyResponse.class);

    private final MembershipHandler membership;

    public ForgetEndpoint(MembershipHandler membership) {
        super(SPEC);
        this.membership = membership;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        membership.forget(request.requireRequester().userId(), PathParams.roomId(request));
        return EmptyResponse.INSTANCE;
    }
}
