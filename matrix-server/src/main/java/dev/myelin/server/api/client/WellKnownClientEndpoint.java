package dev.myelin.server.api.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /.well-known/matrix/client}: tells clients which base URL to use.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#getwell-knownmatrixclient">spec</a>
 */
public final class WellKnownClientEndpoint implements Endpoint {
    private final String baseUrl;

    public WellKnownClientEndpoint(String publicBaseUrl) {
        this.baseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/.well-known/matrix/client";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.NONE;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("m.homeserver").put("base_url", baseUrl);
        return MatrixResponse.ok(body);
    }
}
