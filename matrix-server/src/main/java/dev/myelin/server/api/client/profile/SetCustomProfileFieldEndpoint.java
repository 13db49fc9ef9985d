package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileFields;

/**
 * {@code PUT /_matrix/client/v3/profile/{userId}/{keyName}}: sets a custom field of one's own
 * profile ({@code m.tz} or a namespaced key) to any JSON value. The body holds exactly one
 * property, named as the path's key (400 {@code M_MISSING_PARAM} without it, {@code M_BAD_JSON}
 * with others); a key over 255 bytes is {@code M_KEY_TOO_LARGE} and a profile grown past 64 KiB
 * {@code M_PROFILE_TOO_LARGE}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class SetCustomProfileFieldEndpoint extends JsonEndpoint<ObjectNode, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, EmptyResponse> SPEC = EndpointSpec.put(
                    "/_matrix/client/v3/profile/{userId}/{keyName}", ObjectNode.class, EmptyResponse.class)
            .rateLimited("message");

    private final ProfileFields fields;

    public SetCustomProfileFieldEndpoint(ProfileFields fields) {
        super(SPEC);
        this.fields = fields;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ObjectNode body) {
        var requester = request.requireRequester().userId();
        String key = request.pathParam("keyName");
        JsonNode value = body.get(key);
        if (value == null) {
            throw MatrixException.missingParam(key);
        }
        if (body.size() != 1) {
            throw MatrixException.badJson("The body must hold only the '" + key + "' property");
        }
        fields.set(requester, PathParams.userId(request), key, value);
        return EmptyResponse.INSTANCE;
    }
}
