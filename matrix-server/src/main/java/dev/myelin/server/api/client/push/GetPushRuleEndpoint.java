package dev.myelin.server.api.client.push;

import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: one push rule.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class GetPushRuleEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public GetPushRuleEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return PushRulePath.RULE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        PushRuleKind kind = PushRulePath.kind(request);
        return MatrixResponse.ok(rules.rule(request.requireRequester().userId(), kind, PushRulePath.ruleId(request))
                .toJson(kind));
    }
}
