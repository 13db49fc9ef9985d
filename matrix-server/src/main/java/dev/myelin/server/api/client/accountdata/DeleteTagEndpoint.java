package dev.myelin.server.api.client.accountdata;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;

/**
 * {@code DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}}: removes a tag (a
 * no-op for an absent one).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3useruseridroomsroomidtagstag">spec</a>
 */
public final class DeleteTagEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete("/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}", EmptyResponse.class);

    private final AccountDataHandler accountData;

    public DeleteTagEndpoint(AccountDataHandler accountData) {
        super(SPEC);
        this.accountData = accountData;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        accountData.deleteTag(
                request.requireRequester().userId(),
                PathParams.userId(request),
                PathParams.roomId(request),
                request.pathParam("tag"));
        return EmptyResponse.INSTANCE;
    }
}
