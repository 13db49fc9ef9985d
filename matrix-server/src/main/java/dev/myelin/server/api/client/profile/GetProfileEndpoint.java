package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.Profile;

/**
 * {@code GET /_matrix/client/v3/profile/{userId}}: a local user's display name and avatar URL
 * (each only when set); 404 {@code M_NOT_FOUND} for unknown users. Profiles are public, so no
 * access token is needed.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuserid">spec</a>
 */
public final class GetProfileEndpoint implements Endpoint {
    private final ProfileHandler profiles;

    public GetProfileEndpoint(ProfileHandler profiles) {
        this.profiles = profiles;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/profile/{userId}";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Profile profile = profiles.get(PathParams.userId(request));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        profile.displayName().ifPresent(name -> body.put(ProfileHandler.Field.DISPLAYNAME.key(), name));
        profile.avatarUrl().ifPresent(url -> body.put(ProfileHandler.Field.AVATAR_URL.key(), url));
        return MatrixResponse.ok(body);
    }
}
