package dev.myelin.server.api.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;

/**
 * {@code GET /_matrix/key/v2/server/{keyId}}: the form of {@link ServerKeysEndpoint} with a key id,
 * removed from the spec (v1.1) but still sent by older servers. Like Synapse, the key id is
 * ignored and the whole answer is given: the asker looks for its key in it.
 *
 * @see <a href="https://spec.matrix.org/v1.0/server-server-api/#get_matrixkeyv2serverkeyid">spec v1.0</a>
 */
public final class ServerKeyByIdEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC =
            EndpointSpec.get("/_matrix/key/v2/server/{keyId}", ObjectNode.class).noAuth();

    private final ServerKeyPublisher publisher;

    public ServerKeyByIdEndpoint(ServerKeyPublisher publisher) {
        super(SPEC);
        this.publisher = publisher;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        return publisher.response();
    }
}
