package dev.myelin.server.api.client.profile;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
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
public final class GetProfileEndpoint extends JsonEndpoint<NoBody, ProfileResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, ProfileResponse> SPEC = EndpointSpec.get(
                    "/_matrix/client/v3/profile/{userId}", ProfileResponse.class)
            .noAuth();

    private final ProfileHandler profiles;

    public GetProfileEndpoint(ProfileHandler profiles) {
        super(SPEC);
        this.profiles = profiles;
    }

    @Override
    protected ProfileResponse handle(MatrixRequest request, NoBody body) {
        Profile profile = profiles.get(PathParams.userId(request));
        return new ProfileResponse(
                profile.displayName().orElse(null), profile.avatarUrl().orElse(null));
    }
}
