package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.core.crypto.JsonSigning;
import dev.myelin.core.crypto.SigningKey;
import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * This server's answer to {@code GET /_matrix/key/v2/server}: its signing key under
 * {@code verify_keys}, the keys it used before under {@code old_verify_keys}, a
 * {@code valid_until_ts} one refresh interval from now, signed with the signing key.
 *
 * <p>The answer is made afresh on each call so that {@code valid_until_ts} moves with the clock;
 * signing one small object costs far less than the request that asks for it.
 *
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#publishing-keys">Publishing Keys</a>
 */
public final class ServerKeyPublisher {
    /** Synapse's default {@code key_refresh_interval}: other servers fetch the keys again after a day. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofDays(1);

    private final ServerName serverName;
    private final SigningKey signingKey;
    private final Map<SigningKeyId, OldVerifyKey> oldKeys;
    private final Duration refreshInterval;
    private final Clock clock;

    /**
     * A publisher of {@code serverName}'s keys.
     *
     * @param serverName this server's name
     * @param signingKey the key this server signs with now
     * @param oldKeys keys it signed with before; an entry under the signing key's own id is left
     *     out, since that key is current
     * @param refreshInterval how long other servers may rely on the answer
     * @param clock the time {@code valid_until_ts} counts from
     */
    public ServerKeyPublisher(
            ServerName serverName,
            SigningKey signingKey,
            Map<SigningKeyId, OldVerifyKey> oldKeys,
            Duration refreshInterval,
            Clock clock) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.oldKeys = Map.copyOf(oldKeys);
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refresh interval must be positive: " + refreshInterval);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The keys as of now, unsigned. */
    public ServerKeys keys() {
        Map<SigningKeyId, VerifyKey> current = Map.of(signingKey.keyId(), signingKey.verifyKey());
        Map<SigningKeyId, OldVerifyKey> old = new HashMap<>(oldKeys);
        old.remove(signingKey.keyId());
        return new ServerKeys(serverName, current, old, clock.nowMillis() + refreshInterval.toMillis());
    }

    /** The signed answer as of now. */
    public ObjectNode response() {
        return JsonSigning.sign(keys().toJson(), serverName, signingKey);
    }
}
