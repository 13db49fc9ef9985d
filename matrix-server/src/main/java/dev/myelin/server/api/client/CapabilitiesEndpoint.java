package dev.myelin.server.api.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.room.RoomVersion;
import dev.myelin.core.room.RoomVersions;
import dev.myelin.http.server.Endpoint;
import dev.myelin.http.server.HttpMethod;
import dev.myelin.http.server.MatrixRequest;
import dev.myelin.http.server.MatrixResponse;

/**
 * {@code GET /_matrix/client/v3/capabilities}: what clients may do here. Password and profile
 * changes are on; third-party id changes and login tokens are off, since this server offers
 * neither. Every room version the core implements is stable.
 *
 * @see <a href="https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3capabilities">spec</a>
 */
public final class CapabilitiesEndpoint implements Endpoint {
    private final RoomVersion defaultRoomVersion;

    public CapabilitiesEndpoint(RoomVersion defaultRoomVersion) {
        this.defaultRoomVersion = defaultRoomVersion;
    }

    @Override
    public HttpMethod method() {
        return HttpMethod.GET;
    }

    @Override
    public String path() {
        return "/_matrix/client/v3/capabilities";
    }

    @Override
    public MatrixResponse handle(MatrixRequest request) {
        request.requireRequester();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode capabilities = body.putObject("capabilities");
        capabilities.putObject("m.change_password").put("enabled", true);
        ObjectNode versions = capabilities.putObject("m.room_versions");
        versions.put("default", defaultRoomVersion.id());
        ObjectNode available = versions.putObject("available");
        RoomVersions.all().forEach(v -> available.put(v.id(), "stable"));
        capabilities.putObject("m.set_displayname").put("enabled", true);
        capabilities.putObject("m.set_avatar_url").put("enabled", true);
        capabilities.putObject("m.3pid_changes").put("enabled", false);
        capabilities.putObject("m.get_login_token").put("enabled", false);
        return MatrixResponse.ok(body);
    }
}
