package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.myelin.core.push.PushRule;
import dev.myelin.core.push.PushRuleKind;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/}: the user's rules of one kind, in
 * priority order, as a JSON array. The spec lists the whole ruleset and single rules only; this
 * is the list under the kind as Synapse serves it, which clients and sytest read.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobal">spec (the ruleset this is a part of)</a>
 */
public final class GetPushRulesOfKindEndpoint extends JsonEndpoint<NoBody, JsonNode> {
    /**
     * The endpoint's definition, shared with clients. Rules are written by matrix-core's push
     * model ({@code PushRule.toJson}), which owns the push rule format.
     */
    public static final EndpointSpec<NoBody, JsonNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/pushrules/global/{kind}/", JsonNode.class);

    private final PushRulesHandler rules;

    public GetPushRulesOfKindEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected JsonNode handle(MatrixRequest request, NoBody body) {
        PushRuleKind kind = PushRulePath.kind(request);
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (PushRule rule : rules.rules(request.requireRequester().userId()).rules(kind)) {
            list.add(rule.toJson(kind));
        }
        return list;
    }
}
