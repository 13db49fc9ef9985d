package dev.myelin.server.config;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.federation.keys.ServerKeyPublisher;
import dev.myelin.federation.keys.TrustedKeyServer;
import java.time.Duration;
import java.util.List;
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
 * @param trustedKeyServers {@code trusted_key_servers}: the notaries asked for another server's
 *     keys when that server cannot be asked itself, in order (Synapse's default is matrix.org)
 */
public record ServerKeysConfig(
        Map<SigningKeyId, OldVerifyKey> oldSigningKeys,
        Duration keyRefreshInterval,
        List<TrustedKeyServer> trustedKeyServers) {
    /** matrix.org with its published key, Synapse's default notary. */
    public static final List<TrustedKeyServer> DEFAULT_TRUSTED_KEY_SERVERS = List.of(new TrustedKeyServer(
            ServerName.parse("matrix.org"),
            Map.of(
                    SigningKeyId.parse("ed25519:auto"),
                    VerifyKey.fromBase64("Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw")),
            false));

    /** No old keys, Synapse's one-day refresh interval and matrix.org as notary. */
    public static final ServerKeysConfig DEFAULT =
            new ServerKeysConfig(Map.of(), ServerKeyPublisher.DEFAULT_REFRESH_INTERVAL);

    /** Copies the map and the list. */
    public ServerKeysConfig {
        oldSigningKeys = Map.copyOf(oldSigningKeys);
        Objects.requireNonNull(keyRefreshInterval, "keyRefreshInterval");
        trustedKeyServers = List.copyOf(trustedKeyServers);
    }

    /** With matrix.org as the notary, as when {@code trusted_key_servers} is not configured. */
    public ServerKeysConfig(Map<SigningKeyId, OldVerifyKey> oldSigningKeys, Duration keyRefreshInterval) {
        this(oldSigningKeys, keyRefreshInterval, DEFAULT_TRUSTED_KEY_SERVERS);
    }
}
