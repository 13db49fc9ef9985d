package dev.myelin.server.api.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.http.server.AuthRequirement;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_matrix/client/versions}: the spec versions and unstable features we serve.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientversions">spec</a>
 */
public final class VersionsEndpoint implements Endpoint {
    /** Client-Server API versions whose required behaviour this server implements. */
    public static final List<String> VERSIONS = List.of(
            "r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11");

    /** Unstable features clients probe for, with whether they are on. */
    static final Map<String, Boolean> UNSTABLE_FEATURES = Map.of();

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/versions";
    }

    @Override
    public AuthRequirement auth() {
        return AuthRequirement.OPTIONAL;
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        VERSIONS.forEach(body.putArray("versions")::add);
        ObjectNode unstable = body.putObject("unstable_features");
        UNSTABLE_FEATURES.forEach(unstable::put);
        return MatrixResponse.ok(body);
    }
}
