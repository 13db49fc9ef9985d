package dev.myelin.server.api.client.accountdata;

import dev.myelin.core.id.RoomId;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/user/{userId}/account_data/{type}} and, per room,
 * {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridaccount_datatype">spec (global)</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidaccount_datatype">spec (room)</a>
 */
public final class PutAccountDataEndpoint implements Endpoint {
    private final AccountDataHandler accountData;
    private final boolean perRoom;

    public PutAccountDataEndpoint(AccountDataHandler accountData, boolean perRoom) {
        this.accountData = accountData;
        this.perRoom = perRoom;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return perRoom ? "/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}"
                : "/_matrix/client/v3/user/{userId}/account_data/{type}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        var requester = request.requireRequester().userId();
        var owner = PathParams.userId(request);
        Optional<RoomId> room = perRoom ? Optional.of(PathParams.roomId(request)) : Optional.empty();
        accountData.put(requester, owner, room, request.pathParam("type"), request.jsonObject());
        return MatrixResponse.ok();
    }
}
