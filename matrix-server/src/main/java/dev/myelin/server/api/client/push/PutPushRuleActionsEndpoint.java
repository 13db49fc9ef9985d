package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions}: replaces a rule's
 * actions, server-default rules included.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidactions">spec</a>
 */
public final class PutPushRuleActionsEndpoint extends JsonEndpoint<PutPushRuleActionsEndpoint.Request, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<Request, EmptyResponse> SPEC =
            EndpointSpec.put(PushRulePath.RULE + "/actions", Request.class, EmptyResponse.class);

    /** The new actions, read by matrix-core's push model (strings and objects). */
    public record Request(JsonNode actions) {
        public Request {
            if (actions == null || actions.isNull()) {
                throw MatrixException.missingParam("actions");
            }
        }
    }

    private final PushRulesHandler rules;

    public PutPushRuleActionsEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, Request body) {
        rules.setActions(
                request.requireRequester().userId(),
                PushRulePath.kind(request),
                PushRulePath.ruleId(request),
                PushRulePath.actions(body.actions()));
        return EmptyResponse.INSTANCE;
    }
}
