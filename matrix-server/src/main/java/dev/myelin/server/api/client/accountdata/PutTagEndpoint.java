package dev.myelin.server.api.client.accountdata;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.accountdata.AccountDataHandler;

/**
 * {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}}: adds or replaces a tag.
 * The body is the tag's content: the spec names only {@code order}, and clients store more beside
 * it, which is kept as sent, so it stays a JSON object.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidtagstag">spec</a>
 */
public final class PutTagEndpoint extends JsonEndpoint<ObjectNode, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, EmptyResponse> SPEC = EndpointSpec.put(
            "/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}", ObjectNode.class, EmptyResponse.class);

    private final AccountDataHandler accountData;

    public PutTagEndpoint(AccountDataHandler accountData) {
        super(SPEC);
        this.accountData = accountData;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ObjectNode content) {
        accountData.putTag(
                request.requireRequester().userId(),
                PathParams.userId(request),
                PathParams.roomId(request),
                request.pathParam("tag"),
                content);
        return EmptyResponse.INSTANCE;
    }
}
