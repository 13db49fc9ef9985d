package dev.myelin.server.api.client.push;

import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled}.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidenabled">spec</a>
 */
public final class GetPushRuleEnabledEndpoint extends JsonEndpoint<NoBody, GetPushRuleEnabledEndpoint.Response> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, Response> SPEC =
            EndpointSpec.get(PushRulePath.RULE + "/enabled", Response.class);

    /** Whether the rule is enabled. */
    public record Response(boolean enabled) {}

    private final PushRulesHandler rules;

    public GetPushRuleEnabledEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected Response handle(MatrixRequest request, NoBody body) {
        return new Response(rules.rule(
                        request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request))
                .enabled());
    }
}
