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
 * {@code POST /_matrix/client/v3/account/deactivate}: deactivates the current user's account
 * after user-interactive auth with its password. Accounts here have no third-party ids, so
 * {@code id_server_unbind_result} is always {@code success}; {@code erase} is accepted but
 * erasure of past events is not implemented.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3accountdeactivate">spec</a>
 */
public final class DeactivateEndpoint implements Endpoint {
    private static final List<List<String>> FLOWS = List.of(List.of(UserInteractiveAuth.PASSWORD));

    private final AccountLifecycle accounts;
    private final UserInteractiveAuth uia;

    public DeactivateEndpoint(AccountLifecycle accounts, UserInteractiveAuth uia) {
        this.accounts = accounts;
        this.uia = uia;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.POST;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/account/deactivate";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        Requester requester = request.requireRequester();
        ObjectNode body = request.jsonObject();
        JsonFields.optionalBoolean(body, "erase", false);
        JsonFields.optionalString(body, "id_server");
        try {
            uia.authorise(body, FLOWS, Optional.of(requester.userId()));
        } catch (UserInteractiveAuth.AuthRequired e) {
            return MatrixResponse.json(401, e.body());
        }
        accounts.deactivate(requester.userId());
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("id_server_unbind_result", "success"));
    }
}
