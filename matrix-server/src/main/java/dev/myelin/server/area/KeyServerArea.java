package dev.myelin.server.area;

import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.time.Clock;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.http.server.Router;
import dev.myelin.server.api.federation.keys.ServerKeyByIdEndpoint;
import dev.myelin.server.api.federation.keys.ServerKeysEndpoint;
import dev.myelin.server.config.ServerKeysConfig;

/**
 * The key server (Synapse's {@code keys} listener resource, also part of {@code federation}): this
 * server's published signing keys, which other servers need before they can check its requests and
 * events.
 */
public final class KeyServerArea {
    private KeyServerArea() {}

    /** Installs the endpoints and returns the publisher of this server's keys, which the notary also answers from. */
    public static ServerKeyPublisher install(
            Router router, Clock clock, ServerName serverName, SigningKey signingKey, ServerKeysConfig config) {
        ServerKeyPublisher publisher = new ServerKeyPublisher(
                serverName, signingKey, config.oldSigningKeys(), config.keyRefreshInterval(), clock);
        router.register(new ServerKeysEndpoint(publisher));
        router.register(new ServerKeyByIdEndpoint(publisher));
        return publisher;
    }
}
