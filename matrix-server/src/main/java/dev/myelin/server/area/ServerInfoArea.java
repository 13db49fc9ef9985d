package dev.myelin.server.area;

import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.client.CapabilitiesEndpoint;
import dev.myelin.server.api.client.VersionsEndpoint;
import dev.myelin.server.api.client.WellKnownClientEndpoint;
import dev.myelin.server.api.client.voip.TurnServerEndpoint;

/**
 * What a client asks before anything else: the spec versions, the well-known client discovery
 * document, the server's capabilities, and the (empty) VoIP answer. Third-party networks are
 * {@link AppServiceArea}'s.
 */
public final class ServerInfoArea {
    private ServerInfoArea() {}

    public static void install(Router router, String publicBaseUrl, RoomVersion defaultRoomVersion) {
        // Older clients still speak the r0 prefix, which v3 replaced without changing these endpoints.
        router.aliasPrefix("/_matrix/client/r0/", "/_matrix/client/v3/");
        router.register(new VersionsEndpoint());
        router.register(new WellKnownClientEndpoint(publicBaseUrl));
        router.register(new CapabilitiesEndpoint(defaultRoomVersion));
        router.register(new TurnServerEndpoint());
    }
}
