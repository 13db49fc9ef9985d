package dev.myelin.server.api.client.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import dev.myelin.server.handler.push.PushRulesHandler;

/**
 * {@code GET /_matrix/client/v3/pushrules/} (all rulesets: {@code {"global": …}}) or, with
 * {@code globalOnly}, {@code GET /_matrix/client/v3/pushrules/global/} (the global ruleset itself).
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrules">spec</a>
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobal">spec (global)</a>
 */
public final class GetPushRulesEndpoint implements Endpoint {
    private final PushRulesHandler rules;
    private final boolean globalOnly;

    public GetPushRulesEndpoint(PushRulesHandler rules, boolean globalOnly) {
        this.rules = rules;
        this.globalOnly = globalOnly;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return globalOnly ? "/_matrix/client/v3/pushrules/global/" : "/_matrix/client/v3/pushrules/";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode content = rules.accountDataContent(request.requireRequester().userId());
        return MatrixResponse.ok(globalOnly ? content.get("global") : content);
    }
}
