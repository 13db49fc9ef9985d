package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: creates or replaces a user
 * rule, placed by the {@code before} / {@code after} query parameters.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class PutPushRuleEndpoint extends JsonEndpoint<ObjectNode, EmptyResponse> {
    /**
     * The endpoint's definition, shared with clients. The body is the rule as matrix-core's push
     * model reads it ({@code PushRule.fromClient}), the one reader of the push rule format.
     */
    public static final EndpointSpec<ObjectNode, EmptyResponse> SPEC =
            EndpointSpec.put(PushRulePath.RULE, ObjectNode.class, EmptyResponse.class);

    private final PushRulesHandler rules;

    public PutPushRuleEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, ObjectNode body) {
        PushRuleKind kind = PushRulePath.kind(request);
        String ruleId = PushRulePath.ruleId(request);
        rules.put(
                request.requireRequester().userId(),
                kind,
                PushRulePath.rule(kind, ruleId, body),
                request.queryParam("before"),
                request.queryParam("after"));
        return EmptyResponse.INSTANCE;
    }
}
