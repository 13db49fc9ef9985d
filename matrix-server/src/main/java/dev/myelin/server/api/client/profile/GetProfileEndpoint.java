package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileFields;

/**
 * {@code GET /_matrix/client/v3/profile/{userId}}: a user's display name and avatar URL (each only
 * when set) and, for local users, their custom fields; 404 {@code M_NOT_FOUND} for unknown users. Profiles are public, so no
 * access token is needed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuserid">spec</a>
 */
public final class GetProfileEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/profile/{userId}", ObjectNode.class)
            .noAuth();

    private final ProfileFields profiles;

    public GetProfileEndpoint(ProfileFields profiles) {
        super(SPEC);
        this.profiles = profiles;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        return profiles.profile(PathParams.userId(request));
    }
}
