package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileFields;

/**
 * {@code GET /_matrix/client/v3/profile/{userId}/{keyName}}: one field of a profile other than the
 * display name and avatar URL (which have their own routes), as {@code {keyName: value}}; 404
 * {@code M_NOT_FOUND} when it is not set, 400 {@code M_INVALID_PARAM} for a key the spec's grammar
 * does not allow. Profiles are public, so no access token is needed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class GetCustomProfileFieldEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/profile/{userId}/{keyName}", ObjectNode.class)
            .noAuth();

    private final ProfileFields fields;

    public GetCustomProfileFieldEndpoint(ProfileFields fields) {
        super(SPEC);
        this.fields = fields;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        String key = request.pathParam("keyName");
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set(key, fields.field(PathParams.userId(request), key));
        return answer;
    }
}
