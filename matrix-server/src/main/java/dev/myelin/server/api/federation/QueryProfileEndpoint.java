package dev.myelin.server.api.federation;

import dev.myelin.core.id.InvalidIdentifierException;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.profile.ProfileHandler;
import dev.myelin.storage.account.Profile;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /_matrix/federation/v1/query/profile?user_id=…&field=…}: a local user's profile for
 * another server, signed with X-Matrix. With {@code field} ({@code displayname} or
 * {@code avatar_url}) only that field is given; fields not set are left out. 404 {@code M_NOT_FOUND}
 * for users that do not exist, 400 {@code M_INVALID_PARAM} for users of other servers, an invalid
 * user id or an unknown field.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1queryprofile">spec</a>
 */
public final class QueryProfileEndpoint extends JsonEndpoint<NoBody, QueryProfileEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC = EndpointSpec.get(
                    "/_matrix/federation/v1/query/profile", Response.class)
            .serverAuth();

    /**
     * The profile fields asked for that are set.
     *
     * @param displayname the display name
     * @param avatarUrl the avatar's {@code mxc://} URI
     */
    public record Response(
            @Nullable String displayname, @Nullable String avatarUrl) {}

    private final ServerName serverName;
    private final ProfileHandler profiles;

    public QueryProfileEndpoint(ServerName serverName, ProfileHandler profiles) {
        super(SPEC);
        this.serverName = serverName;
        this.profiles = profiles;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        UserId user;
        try {
            user = UserId.parse(request.requireQueryParam("user_id"));
        } catch (InvalidIdentifierException e) {
            throw MatrixException.invalidParam("user_id", "not a user id");
        }
        if (!user.server().equals(serverName)) {
            throw MatrixException.invalidParam("user_id", "User is not hosted on this homeserver");
        }
        String field = request.queryParam("field").orElse("");
        if (!field.isEmpty() && !field.equals("displayname") && !field.equals("avatar_url")) {
            throw MatrixException.invalidParam("field", "unknown profile field " + field);
        }
        Profile profile = profiles.get(user);
        return new Response(
                field.isEmpty() || field.equals("displayname")
                        ? profile.displayName().orElse(null)
                        : null,
                field.isEmpty() || field.equals("avatar_url")
                        ? profile.avatarUrl().orElse(null)
                        : null);
    }
}
