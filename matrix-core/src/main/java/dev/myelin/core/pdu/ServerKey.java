package dev.myelin.core.pdu;

import dev.myelin.core.crypto.VerifyKey;
import java.util.Objects;

/**
 * A server's verify key as the caller knows it, with the time until which it may be used.
 *
 * @param key the ed25519 public key
 * @param validUntilTs milliseconds since the epoch after which the key no longer signs events
 *     ({@code valid_until_ts} of the key response; for an old key, its {@code expired_ts})
 * @see <a href="https://spec.matrix.org/v1.19/server-server-api/#retrieving-server-keys">Retrieving server keys</a>
 */
public record ServerKey(VerifyKey key, long validUntilTs) {
    /** Requires a key. */
    public ServerKey {
        Objects.requireNonNull(key, "key");
    }

    /** A key with no end to its validity, for tests and for keys the caller vouches for. */
    public static ServerKey unexpiring(VerifyKey key) {
        return new ServerKey(key, Long.MAX_VALUE);
    }
}
