package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: deletes a user rule;
 * server-default rules cannot be deleted (disable them instead).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class DeletePushRuleEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public DeletePushRuleEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.DELETE;
    }

    @Override
    public String path() {
        return PushRulePath.RULE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        rules.delete(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
