package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: one push rule.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class GetPushRuleEndpoint extends JsonEndpoint<NoBody, ObjectNode> {
    /**
     * The endpoint's definition, shared with clients. The rule's JSON is written by matrix-core's
     * push model ({@code PushRule.toJson}), which owns the push rule format.
     */
    public static final EndpointSpec<NoBody, ObjectNode> SPEC = EndpointSpec.get(PushRulePath.RULE, ObjectNode.class);

    private final PushRulesHandler rules;

    public GetPushRuleEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected ObjectNode handle(MatrixRequest request, NoBody body) {
        PushRuleKind kind = PushRulePath.kind(request);
        return rules.rule(request.requireRequester().userId(), kind, PushRulePath.ruleId(request))
                .toJson(kind);
    }
}
