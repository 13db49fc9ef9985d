package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.error.MatrixException;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.api.JsonFields;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled}: enables or disables a
 * rule, server-default rules included.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidenabled">spec</a>
 */
public final class PutPushRuleEnabledEndpoint implements Endpoint {
    private final PushRulesHandler rules;

    public PutPushRuleEnabledEndpoint(PushRulesHandler rules) {
        this.rules = rules;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.PUT;
    }

    @Override
    public String path() {
        return PushRulePath.RULE + "/enabled";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = request.jsonObject();
        JsonNode enabled = body.get("enabled");
        if (enabled == null || enabled.isNull()) {
            throw MatrixException.missingParam("enabled");
        }
        rules.setEnabled(request.requireRequester().userId(), PushRulePath.kind(request), PushRulePath.ruleId(request),
                JsonFields.optionalBoolean(body, "enabled", true));
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }
}
