package dev.myelin.server.area;

import dev.myelin.core.room.RoomVersion;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.HealthEndpoint;
import dev.myelin.server.api.admin.ServerVersionEndpoint;
import dev.myelin.server.api.client.AuthMetadataEndpoint;
import dev.myelin.server.api.client.CapabilitiesEndpoint;
import dev.myelin.server.api.client.VersionsEndpoint;
import dev.myelin.server.api.client.WellKnownClientEndpoint;
import dev.myelin.server.api.client.WellKnownSupportEndpoint;
import dev.myelin.server.api.client.voip.TurnServerEndpoint;
import dev.myelin.server.config.SupportConfig;
import java.util.Optional;

/**
 * What a client asks before anything else: the spec versions, the well-known client discovery and
 * support documents, the server's capabilities, that it offers no OAuth 2.0 API, and the (empty)
 * VoIP answer; and what operators' tools ask:
 * {@code /health} and the admin API's server version. Third-party networks are
 * {@link AppServiceArea}'s.
 */
public final class ServerInfoArea {
    private ServerInfoArea() {}

    /** @param threePidChanges {@code enable_3pid_changes}, announced as the {@code m.3pid_changes} capability */
    public static void install(
            Router router,
            String publicBaseUrl,
            RoomVersion defaultRoomVersion,
            Optional<SupportConfig> support,
            boolean threePidChanges) {
        // Older clients still speak the r0 prefix, which v3 replaced without changing these endpoints.
        router.aliasPrefix("/_matrix/client/r0/", "/_matrix/client/v3/");
        router.register(new VersionsEndpoint());
        router.register(new WellKnownClientEndpoint(publicBaseUrl));
        router.register(new WellKnownSupportEndpoint(support));
        router.register(new AuthMetadataEndpoint());
        router.register(new CapabilitiesEndpoint(defaultRoomVersion, threePidChanges));
        router.register(new TurnServerEndpoint());
        router.register(new HealthEndpoint());
        router.register(new ServerVersionEndpoint());
    }
}
