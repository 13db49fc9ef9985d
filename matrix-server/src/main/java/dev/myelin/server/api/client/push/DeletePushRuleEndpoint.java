package dev.myelin.server.api.client.push;

import dev.myelin.http.endpoint.EmptyResponse;
import dev.myelin.http.endpoint.EndpointSpec;
import dev.myelin.http.endpoint.JsonEndpoint;
import dev.myelin.http.endpoint.NoBody;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}}: deletes a user rule;
 * server-default rules cannot be deleted (disable them instead).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3pushrulesglobalkindruleid">spec</a>
 */
public final class DeletePushRuleEndpoint extends JsonEndpoint<NoBody, EmptyResponse> {
    /** The endpoint's definition, shared with clients. */
    public static final EndpointSpec<NoBody, EmptyResponse> SPEC =
            EndpointSpec.delete(PushRulePath.RULE, EmptyResponse.class);

    private final PushRulesHandler rules;

    public DeletePushRuleEndpoint(PushRulesHandler rules) {
        super(SPEC);
        this.rules = rules;
    }

    @Override
    protected EmptyResponse handle(MatrixRequest request, NoBody body) {
        rules.delete(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request));
        return EmptyResponse.INSTANCE;
    }
}
