package dev.myelin.server.config;

import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.federation.keys.ServerKeyPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What this server publishes about its own keys at {@code /_matrix/key/v2/server}, besides the
 * signing key itself.
 *
 * @param oldSigningKeys {@code old_signing_keys}: keys this server signed with before, by key id,
 *     each with the time it stopped being used, so that other servers can still check old events
 * @param keyRefreshInterval {@code key_refresh_interval}: how long other servers may rely on the
 *     published keys before asking again (Synapse's default is a day)
 */
public record ServerKeysConfig(Map<SigningKeyId, OldVerifyKey> oldSigningKeys, Duration keyRefreshInterval) {
    /** No old keys and Synapse's one-day refresh interval. */
    public static final ServerKeysConfig DEFAULT =
            new ServerKeysConfig(Map.of(), ServerKeyPublisher.DEFAULT_REFRESH_INTERVAL);

    /** Copies the map. */
    public ServerKeysConfig {
        oldSigningKeys = Map.copyOf(oldSigningKeys);
        Objects.requireNonNull(keyRefreshInterval, "keyRefreshInterval");
    }
}
