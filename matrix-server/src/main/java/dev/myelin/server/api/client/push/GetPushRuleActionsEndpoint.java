package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidactions">spec</a>
 */
public final class GetPushRuleActionsEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public GetPushRuleActionsEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return PushRulePath.RULE + "/actions";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode actions = body.putArray("actions");
        rules.rule(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request))
                .actions().forEach(a -> actions.add(a.toJson()));
        return MatrixResponse.ok(body);
    }
}
