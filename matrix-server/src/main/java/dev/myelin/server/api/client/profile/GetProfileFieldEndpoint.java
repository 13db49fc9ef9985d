package dev.myelin.server.api.client.profile;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.api.PathParams;
import dev.myelin.server.handler.profile.ProfileHandler;

/**
 * {@code GET /_matrix/client/v3/profile/{userId}/displayname} and {@code .../avatar_url}: one
 * field, as {@code {keyName: value}}. A field the user has not set is answered 200 with the key
 * and {@code null} ({@code {"avatar_url": null}}), as Synapse answers it: clients fetch a new
 * account's avatar and expect no error (the spec lists 404 for it), and matrix-nio's schema
 * requires the key. A user that does not exist is 404 {@code M_NOT_FOUND}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3profileuseridkeyname">spec</a>
 */
public final class GetProfileFieldEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /** The definition of {@code GET .../displayname}, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> DISPLAYNAME = build(ProfileHandler.Field.DISPLAYNAME);
    /** The definition of {@code GET .../avatar_url}, shared with clients. */
    public static final EndpointSpec<NoBody, ObjectNode> AVATAR_URL = build(ProfileHandler.Field.AVATAR_URL);

    private final ProfileHandler profiles;
    private final ProfileHandler.Field field;

    public GetProfileFieldEndpoint(ProfileHandler profiles, ProfileHandler.Field field) {
        super(spec(field));
        this.profiles = profiles;
        this.field = field;
    }

    /** The definition for reading {@code field}. */
    public static EndpointSpec<NoBody, ObjectNode> spec(ProfileHandler.Field field) {
        return field == ProfileHandler.Field.DISPLAYNAME ? DISPLAYNAME : AVATAR_URL;
    }

    private static EndpointSpec<NoBody, ObjectNode> build(ProfileHandler.Field field) {
        return EndpointSpec.get("/_matrix/client/v3/profile/{userId}/" + field.key(), ObjectNode.class)
                .noAuth();
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put(field.key(), profiles.get(PathParams.userId(request), field).orElse(null));
        return answer;
    }
}
