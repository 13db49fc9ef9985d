package dev.myelin.server.api.client.accountdata;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;

/**
 * {@code GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridroomsroomidtags">spec</a>
 */
public final class GetTagsEndpoint implements Endpoint {
    private final AccountDataHandler accountData;

    public GetTagsEndpoint(AccountDataHandler accountData) {
        this.accountData = accountData;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        return MatrixResponse.ok(accountData.tags(request.requireRequester().userId(), PathParams.userId(request),
                PathParams.roomId(request)));
    }
}
