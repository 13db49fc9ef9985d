package dev.myelin.server.api.admin.moderation;

import dev.myelin.core.id.UserId;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.admin.AdminUsers;
import dev.myelin.storage.account.UserStore;

/**
 * {@code POST} (ban) and {@code DELETE} (lift) {@code /_synapse/admin/v1/users/{userId}/shadow_ban}:
 * a shadow-banned user's sends, state changes, invites and typing seem to succeed but reach no one
 * (see {@link dev.myelin.server.handler.admin.AccountModerationFilter}).
 */
public final class ShadowBanEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    static final String PATH = "/_synapse/admin/v1/users/{userId}/shadow_ban";
    /** Shadow-bans the user. */
    public static final EndpointSpec<NoBody, EmptyResponse> BAN = EndpointSpec.of(
                    HttpMethod.POST, PATH, NoBody.class, EmptyResponse.class)
            .bodyMayBeAbsent();
    /** Lifts the ban. */
    public static final EndpointSpec<NoBody, EmptyResponse> UNBAN = EndpointSpec.delete(PATH, EmptyResponse.class);

    private final AdminUsers admin;
    private final UserStore users;
    private final boolean ban;

    public ShadowBanEndpoint(AdminUsers admin, UserStore users, boolean ban) {
        super(ban ? BAN : UNBAN);
        this.admin = admin;
        this.users = users;
        this.ban = ban;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        admin.requireAdmin(request.requireRequester());
        UserId user = admin.localUser(request.pathParam("userId"), "Only local users can be shadow-banned");
        admin.existing(user);
        users.setShadowBanned(user, ban);
        return EmptyResponse.INSTANCE;
    }
}
