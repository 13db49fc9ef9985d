package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidenabled">spec</a>
 */
public final class GetPushRuleEnabledEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public GetPushRuleEnabledEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return PushRulePath.RULE + "/enabled";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        boolean enabled = rules.rule(request.requireRequester().userId(), PushRulePath.kind(request),
                PushRulePath.ruleId(request)).enabled();
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode().put("enabled", enabled));
    }
}
