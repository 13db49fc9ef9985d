package dev.myelin.server.api.client.account;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.http.server.Requester;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.account.AccountLifecycle;
import dev.myelin.server.handler.auth.UserInteractiveAuth;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /_matrix/client/v3/account/password}: a new password, after user-interactive auth
 * with the current one. {@code logout_devices} (default true) logs out every other device; the
 * requesting one stays logged in. Without an access token the spec's only flow is an email
 * reset, which this server does not offer, so a token is required.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountpassword">spec</a>
 */
public final class ChangePasswordEndpoint implements Endpoint {
    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    private final AccountLifecycle accounts;
    private final UserInteractiveAuth uia;

    public ChangePasswordEndpoint(AccountLifecycle accounts, UserInteractiveAuth uia) {
        this.accounts = accounts;
        this.uia = uia;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/account/password";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = request.jsonObject();
        // Checked before the auth dance, so a malformed request never uses up a completed session.
        String newPassword = JsonFields.requireString(body, "new_password");
        boolean logoutDevices = JsonFields.optionalBoolean(body, "logout_devices", true);
        try {
            uia.authorise(body, FLOWS, Optional.of(requester.userId()));
        } catch (UserInteractiveAuth.AuthRequired e) {
            return MatrixResponse.json(401, e.body());
        }
        accounts.changePassword(requester.userId(), newPassword, logoutDevices, requester.deviceId());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
