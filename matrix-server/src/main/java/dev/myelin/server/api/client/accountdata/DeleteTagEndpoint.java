package dev.myelin.server.api.client.accountdata;

import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;

/**
 * {@code DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}}: removes a tag (a
 * no-op for an absent one).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3useruseridroomsroomidtagstag">spec</a>
 */
public final class DeleteTagEndpoint implements Endpoint {
    private final AccountDataHandler accountData;

    public DeleteTagEndpoint(AccountDataHandler accountData) {
        this.accountData = accountData;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        accountData.deleteTag(request.requireRequester().userId(), PathParams.userId(request),
                PathParams.roomId(request), request.pathParam("tag"));
        return MatrixResponse.ok();
    }
}
