package dev.myelin.server.api.client.accountdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.RoomId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/user/{userId}/account_data/{type}} and, per room,
 * {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}}. The body is the
 * account data content, free-form JSON of the client's choosing, so it stays a JSON object.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridaccount_datatype">spec (global)</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidaccount_datatype">spec (room)</a>
 */
public final class PutAccountDataEndpoint extends JsonEndpoint<ObjectNode, EmptyResponse> {
    /** The definition of the global variant, shared with clients. */
    public static final EndpointSpec<ObjectNode, EmptyResponse> GLOBAL_SPEC = EndpointSpec.put(
            "/_matrix/client/v3/user/{userId}/account_data/{type}", ObjectNode.class, EmptyResponse.class);
    /** The definition of the per-room variant, shared with clients. */
    public static final EndpointSpec<ObjectNode, EmptyResponse> ROOM_SPEC = EndpointSpec.put(
            "/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}",
            ObjectNode.class,
            EmptyResponse.class);

    private final AccountDataHandler accountData;
    private final boolean perRoom;

    public PutAccountDataEndpoint(AccountDataHandler accountData, boolean perRoom) {
        super(perRoom ? ROOM_SPEC : GLOBAL_SPEC);
        this.accountData = accountData;
        this.perRoom = perRoom;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ObjectNode content) {
        var requester = request.requireRequester().userId();
        var owner = PathParams.userId(request);
        Optional<RoomId> room = perRoom ? Optional.of(PathParams.roomId(request)) : Optional.empty();
        accountData.put(requester, owner, room, request.pathParam("type"), content);
        return EmptyResponse.INSTANCE;
    }
}
