package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/} (all rulesets: {@code {"global": …}}) or, with
 * {@code globalOnly}, {@code GET /_matrix/client/v3/pushrules/global/} (the global ruleset itself).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrules">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobal">spec (global)</a>
 */
public final class GetPushRulesEndpoint extends JsonEndpoint<NoBody, JsonNode> {
    /**
     * All rulesets, shared with clients. Rulesets are written by matrix-core's push model, which
     * owns the push rule format, and are the {@code m.push_rules} account data as it is stored.
     */
    public static final EndpointSpec<NoBody, JsonNode> SPEC =
            EndpointSpec.get("/_matrix/client/v3/pushrules/", JsonNode.class);
    /** The global ruleset alone, shared with clients. */
    public static final EndpointSpec<NoBody, JsonNode> GLOBAL =
            EndpointSpec.get("/_matrix/client/v3/pushrules/global/", JsonNode.class);

    private final PushRulesHandler rules;
    private final boolean globalOnly;

    public GetPushRulesEndpoint(PushRulesHandler rules, boolean globalOnly) {
        super(spec(globalOnly));
        this.rules = rules;
        this.globalOnly = globalOnly;
    }

    /** {@link #GLOBAL} when {@code globalOnly}, else {@link #SPEC}. */
    public static EndpointSpec<NoBody, JsonNode> spec(boolean globalOnly) {
        return globalOnly ? GLOBAL : SPEC;
    }

    @Override
    protected JsonNode handle(MatrixRequest request, NoBody body) {
        ObjectNode content = rules.accountDataContent(request.requireRequester().userId());
        return globalOnly ? content.get("global") : content;
    }
}
