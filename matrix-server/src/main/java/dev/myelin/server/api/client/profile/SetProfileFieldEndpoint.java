package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileHandler;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code PUT /_matrix/client/v3/profile/{userId}/displayname} and {@code .../avatar_url}: sets
 * one's own display name or avatar (any string; clients send {@code mxc://} URIs); an empty string clears it. The
 * change is sent into every room the user is joined to. {@code null} is refused (the spec lets
 * servers refuse it, and clearing has the empty string).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class SetProfileFieldEndpoint extends JsonEndpoint<SetProfileFieldEndpoint.Request, EmptyResponse> {
    /** The definition of {@code PUT .../displayname}, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> DISPLAYNAME = build(ProfileHandler.Field.DISPLAYNAME);
    /** The definition of {@code PUT .../avatar_url}, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> AVATAR_URL = build(ProfileHandler.Field.AVATAR_URL);

    /**
     * The new value of the field the path names. The fields are JSON values rather than strings
     * because an explicit {@code null} (400 {@code M_BAD_JSON}) differs from an absent field (400
     * {@code M_MISSING_PARAM}).
     */
    public record Request(
            @Nullable JsonNode displayname, @Nullable JsonNode avatarUrl) {

        String value(ProfileHandler.Field field) {
            JsonNode value = field == ProfileHandler.Field.DISPLAYNAME ? displayname : avatarUrl;
            if (value == null) {
                throw MatrixException.missingParam(field.key());
            }
            if (!value.isTextual()) {
                throw MatrixException.badJson("'" + field.key() + "' must be a string");
            }
            return value.textValue();
        }
    }

    private final ProfileHandler profiles;
    private final ProfileHandler.Field field;

    public SetProfileFieldEndpoint(ProfileHandler profiles, ProfileHandler.Field field) {
        super(spec(field));
        this.profiles = profiles;
        this.field = field;
    }

    /** The definition for setting {@code field}. */
    public static EndpointSpec<Request, EmptyResponse> spec(ProfileHandler.Field field) {
        return field == ProfileHandler.Field.DISPLAYNAME ? DISPLAYNAME : AVATAR_URL;
    }

    private static EndpointSpec<Request, EmptyResponse> build(ProfileHandler.Field field) {
        return EndpointSpec.put(
                        "/_matrix/client/v3/profile/{userId}/" + field.key(), Request.class, EmptyResponse.class)
                // a profile change is sent as a member event to every joined room
                .rateLimited("message");
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        Requester requester = request.requireRequester();
        profiles.set(requester.userId(), PathParams.userId(request), field, Optional.of(body.value(field)));
        return EmptyResponse.INSTANCE;
    }
}
