package dev.myelin.server.api.client.push;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointJson;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled}: enables or disables a
 * rule, server-default rules included.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidenabled">spec</a>
 */
public final class PutPushRuleEnabledEndpoint extends JsonEndpoint<PutPushRuleEnabledEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.put(PushRulePath.RULE + "/enabled", Request.class, EmptyResponse.class);

    /** Whether the rule is to be enabled. */
    public record Request(Boolean enabled) {
        public Request {
            EndpointJson.required(enabled, "enabled");
        }
    }

    private final PushRulesHandler rules;

    public PutPushRuleEnabledEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        rules.setEnabled(
                request.requireRequester().userId(),
                PushRulePath.kind(request),
                PushRulePath.ruleId(request),
                body.enabled());
        return EmptyResponse.INSTANCE;
    }
}
