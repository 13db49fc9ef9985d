package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: creates or replaces a user
 * rule, placed by the {@code before} / {@code after} query parameters.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class PutPushRuleEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public PutPushRuleEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return PushRulePath.RULE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        PushRuleKind kind = PushRulePath.kind(request);
        String ruleId = PushRulePath.ruleId(request);
        rules.put(request.requireRequester().userId(), kind, PushRulePath.rule(kind, ruleId, request.jsonObject()),
                request.queryParam("before"), request.queryParam("after"));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
