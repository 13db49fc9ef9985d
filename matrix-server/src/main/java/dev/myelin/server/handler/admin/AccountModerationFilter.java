package dev.myelin.server.handler.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.ErrorCode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.ClientRequestFilter;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.storage.account.UserAccount;
import dev.myelin.storage.account.UserStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * What server admins' moderation of an account does to its requests, decided from the endpoint's
 * method and path template before the endpoint runs:
 *
 * <ul>
 *   <li>a locked account gets 401 {@code M_USER_LOCKED} with {@code soft_logout: true} on
 *       everything but logout;
 *   <li>a suspended account may read, leave, redact and log out, but sending events, setting
 *       state, joining, knocking, inviting, creating rooms and changing its profile get 403 {@code
 *       M_USER_SUSPENDED};
 *   <li>a shadow-banned user's event sends and state changes answer a made-up event id, and its
 *       invites and typing notifications answer {@code {}}, as if they had succeeded, but nothing
 *       happens (Synapse's shadow-ban).
 * </ul>
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#account-moderation">Account moderation</a>
 */
public final class AccountModerationFilter implements ClientRequestFilter {
    private static final String CLIENT = "/_matrix/client/v3";

    private final UserStore users;
    private final SecureRandom random = new SecureRandom();

    public AccountModerationFilter(UserStore users) {
        this.users = users;
    }

    @Override
    public Optional<MatrixResponse> filter(Endpoint endpoint, MatrixRequest request, Requester requester) {
        Optional<UserAccount> account = users.get(requester.userId());
        if (account.isEmpty()) {
            return Optional.empty();
        }
        String path = endpoint.path();
        HttpMethod method = endpoint.method();
        if (account.get().locked() && !isLogout(method, path)) {
            throw new MatrixException(
                    401,
                    ErrorCode.USER_LOCKED,
                    "This account has been locked",
                    Map.of("soft_logout", JsonNodeFactory.instance.booleanNode(true)),
                    null);
        }
        if (account.get().suspended() && isForbiddenWhenSuspended(method, path, request)) {
            throw new MatrixException(403, ErrorCode.USER_SUSPENDED, "You cannot perform this action while suspended.");
        }
        if (account.get().shadowBanned()) {
            return shadowBanned(method, path);
        }
        return Optional.empty();
    }

    private static boolean isLogout(HttpMethod method, String path) {
        return method == HttpMethod.POST && (path.equals(CLIENT + "/logout") || path.equals(CLIENT + "/logout/all"));
    }

    private static boolean isForbiddenWhenSuspended(HttpMethod method, String path, MatrixRequest request) {
        if (isSend(method, path)) {
            return !"m.room.redaction".equals(request.pathParam("eventType"));
        }
        if (isState(method, path) || isInvite(method, path)) {
            return true;
        }
        if (method == HttpMethod.PUT && path.startsWith(CLIENT + "/profile/{userId}/")) {
            return true;
        }
        return method == HttpMethod.POST
                && (path.equals(CLIENT + "/rooms/{roomId}/join")
                        || path.equals(CLIENT + "/join/{roomIdOrAlias}")
                        || path.equals(CLIENT + "/knock/{roomIdOrAlias}")
                        || path.equals(CLIENT + "/createRoom"));
    }

    private Optional<MatrixResponse> shadowBanned(HttpMethod method, String path) {
        if (isSend(method, path) || isState(method, path)) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("event_id", fakeEventId());
            return Optional.of(MatrixResponse.ok(body));
        }
        if (isInvite(method, path)
                || (method == HttpMethod.PUT && path.equals(CLIENT + "/rooms/{roomId}/typing/{userId}"))) {
            return Optional.of(MatrixResponse.ok(JsonNodeFactory.instance.objectNode()));
        }
        return Optional.empty();
    }

    private static boolean isSend(HttpMethod method, String path) {
        return method == HttpMethod.PUT && path.equals(CLIENT + "/rooms/{roomId}/send/{eventType}/{txnId}");
    }

    private static boolean isState(HttpMethod method, String path) {
        return method == HttpMethod.PUT && path.startsWith(CLIENT + "/rooms/{roomId}/state/");
    }

    private static boolean isInvite(HttpMethod method, String path) {
        return method == HttpMethod.POST && path.equals(CLIENT + "/rooms/{roomId}/invite");
    }

    /** An event id of the shape of a room version 4+ id, which no event has. */
    private String fakeEventId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "$" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
