package dev.myelin.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.id.UserId;
import dev.myelin.core.time.Clock;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.account.AccessTokenStore;
import java.time.Duration;

/**
 * {@code POST /_synapse/admin/v1/users/{userId}/login}: a server admin gets an access token to act
 * as a user, valid until {@code valid_until_ms} when given. The token has no device, so it shows in
 * none of the user's device lists and deleting the user's devices leaves it (deactivation and
 * {@code /logout/all} end it); as in Synapse, an admin cannot log in as themselves this way.
 */
public final class LoginAsUserEndpoint extends JsonEndpoint<ObjectNode, LoginAsUserEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<ObjectNode, Response> SPEC = EndpointSpec.post(
                    "/_synapse/admin/v1/users/{userId}/login", ObjectNode.class, Response.class)
            .bodyMayBeAbsent();

    /** The new token. */
    public record Response(String accessToken) {}

    private final AdminUsers admin;
    private final AccessTokenStore tokens;
    private final Clock clock;

    public LoginAsUserEndpoint(AdminUsers admin, AccessTokenStore tokens, Clock clock) {
        super(SPEC);
        this.admin = admin;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    protected Response handle(MatrixRequest request, ObjectNode body) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Only local users can be logged in as");
        if (admin.existing(user).deactivated()) {
            throw AdminUsers.invalid("Cannot log in as a deactivated user");
        }
        Duration lifetime = null;
        JsonNode validUntil = body == null ? null : body.get("valid_until_ms");
        if (validUntil != null && !validUntil.isNull()) {
            if (!validUntil.isIntegralNumber() || !validUntil.canConvertToLong()) {
                throw AdminUsers.invalid("'valid_until_ms' parameter must be an int");
            }
            lifetime = Duration.ofMillis(Math.max(0, validUntil.longValue() - clock.nowMillis()));
        }
        if (user.equals(request.requireRequester().userId())) {
            throw AdminUsers.invalid("Cannot use admin API to login as self");
        }
        return new Response(tokens.issue(user, null, lifetime, false).accessToken());
    }
}
