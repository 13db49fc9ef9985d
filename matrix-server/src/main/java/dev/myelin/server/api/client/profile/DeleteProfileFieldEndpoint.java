package dev.myelin.server.api.client.profile;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileFields;

/**
 * {@code DELETE /_matrix/client/v3/profile/{userId}/{keyName}}: removes a field of one's own
 * profile; for {@code displayname} and {@code avatar_url} that clears it (and the change reaches
 * the user's rooms). Removing a field that is not set succeeds. The display name and avatar routes
 * have literal paths, so this endpoint is also registered on each of them.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class DeleteProfileFieldEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC = spec("{keyName}");

    private final ProfileFields fields;
    private final String fixedKey;

    /** The endpoint for any key, taken from the path. */
    public DeleteProfileFieldEndpoint(ProfileFields fields) {
        this(fields, SPEC, "");
    }

    /** The endpoint on the literal path of one key, {@code displayname} or {@code avatar_url}. */
    public static DeleteProfileFieldEndpoint forKey(ProfileFields fields, String key) {
        return new DeleteProfileFieldEndpoint(fields, spec(key), key);
    }

    private DeleteProfileFieldEndpoint(
            ProfileFields fields, EndpointSpec<NoBody, EmptyResponse> spec, String fixedKey) {
        super(spec);
        this.fields = fields;
        this.fixedKey = fixedKey;
    }

    private static EndpointSpec<NoBody, EmptyResponse> spec(String key) {
        return EndpointSpec.delete("/_matrix/client/v3/profile/{userId}/" + key, EmptyResponse.class)
                .rateLimited("message");
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        var requester = request.requireRequester().userId();
        String key = fixedKey.isEmpty() ? request.pathParam("keyName") : fixedKey;
        fields.delete(requester, PathParams.userId(request), key);
        return EmptyResponse.INSTANCE;
    }
}
