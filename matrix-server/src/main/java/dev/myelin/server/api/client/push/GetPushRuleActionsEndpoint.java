package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.core.push.PushAction;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;
import java.util.List;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidactions">spec</a>
 */
public final class GetPushRuleActionsEndpoint extends JsonEndpoint<NoBody, GetPushRuleActionsEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get(PushRulePath.RULE + "/actions", Response.class);

    /** The rule's actions, each a string or an object as matrix-core's push model writes them. */
    public record Response(List<JsonNode> actions) {}

    private final PushRulesHandler rules;

    public GetPushRuleActionsEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(rules
                .rule(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request))
                .actions()
                .stream()
                .map(PushAction::toJson)
                .toList());
    }
}
