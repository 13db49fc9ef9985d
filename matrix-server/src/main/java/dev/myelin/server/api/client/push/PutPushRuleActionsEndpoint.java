package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions}: replaces a rule's
 * actions, server-default rules included.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidactions">spec</a>
 */
public final class PutPushRuleActionsEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public PutPushRuleActionsEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return PushRulePath.RULE + "/actions";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        rules.setActions(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request),
                PushRulePath.actions(request.jsonObject()));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
