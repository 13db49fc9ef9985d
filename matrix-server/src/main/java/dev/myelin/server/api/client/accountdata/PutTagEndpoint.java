package dev.myelin.server.api.client.accountdata;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;

/**
 * {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}}: adds or replaces a tag.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidtagstag">spec</a>
 */
public final class PutTagEndpoint implements Endpoint {
    private final AccountDataHandler accountData;

    public PutTagEndpoint(AccountDataHandler accountData) {
        this.accountData = accountData;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        accountData.putTag(request.requireRequester().userId(), PathParams.userId(request), PathParams.roomId(request),
                request.pathParam("tag"), request.jsonObject());
        return MatrixResponse.ok();
    }
}
