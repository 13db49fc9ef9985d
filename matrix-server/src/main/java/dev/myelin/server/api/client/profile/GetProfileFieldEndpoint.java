package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileHandler;

/**
 * {@code GET /_matrix/client/v3/profile/{userId}/displayname} and {@code .../avatar_url}: one
 * field; 404 {@code M_NOT_FOUND} when the user does not exist or has not set it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class GetProfileFieldEndpoint implements Endpoint {
    private final ProfileHandler profiles;
    private final ProfileHandler.Field field;

    public GetProfileFieldEndpoint(ProfileHandler profiles, ProfileHandler.Field field) {
        this.profiles = profiles;
        this.field = field;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/profile/{userId}/" + field.key();
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        String value = profiles.get(PathParams.userId(request), field)
                .orElseThrow(() -> MatrixException.notFound("The user has no " + field.key()));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put(field.key(), value));
    }
}
