package dev.myelin.server.api.client.accountdata;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import dev.myelin.server.handler.accountdata.RoomTags;

/**
 * {@code GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridroomsroomidtags">spec</a>
 */
public final class GetTagsEndpoint extends JsonEndpoint<NoBody, RoomTags> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, RoomTags> SPEC =
            EndpointSpec.get("/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags", RoomTags.class);

    private final AccountDataHandler accountData;

    public GetTagsEndpoint(AccountDataHandler accountData) {
        super(SPEC);
        this.accountData = accountData;
    }

    @Override
    protected RoomTags handle(MatrixRequest request, NoBody body) {
        return accountData.tags(
                request.requireRequester().userId(), PathParams.userId(request), PathParams.roomId(request));
    }
}
