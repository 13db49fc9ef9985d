package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileHandler;
import java.util.Optional;

/**
 * {@code PUT /_matrix/client/v3/profile/{userId}/displayname} and {@code .../avatar_url}: sets
 * one's own display name or avatar ({@code mxc://} URIs only); an empty string clears it. The
 * change is sent into every room the user is joined to. {@code null} is refused (the spec lets
 * servers refuse it, and clearing has the empty string).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class SetProfileFieldEndpoint implements Endpoint {
    private final ProfileHandler profiles;
    private final ProfileHandler.Field field;

    public SetProfileFieldEndpoint(ProfileHandler profiles, ProfileHandler.Field field) {
        this.profiles = profiles;
        this.field = field;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/profile/{userId}/" + field.key();
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        UserId target = PathParams.userId(request);
        ObjectNode body = request.jsonObject();
        JsonNode value = body.get(field.key());
        if (value == null) {
            throw MatrixException.missingParam(field.key());
        }
        if (!value.isTextual()) {
            throw MatrixException.badJson("'" + field.key() + "' must be a string");
        }
        profiles.set(requester.userId(), target, field, Optional.of(value.textValue()));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
