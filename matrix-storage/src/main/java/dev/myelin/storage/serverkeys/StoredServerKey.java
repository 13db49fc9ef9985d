package dev.myelin.storage.serverkeys;

import dev.myelin.core.crypto.VerifyKey;
import dev.myelin.core.id.ServerName;
import dev.myelin.core.id.SigningKeyId;
import dev.myelin.core.pdu.ServerKey;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One signing key of another server, as stored.
 *
 * @param server the server the key belongs to
 * @param keyId the key's id, e.g. {@code ed25519:abc}
 * @param key the public key
 * @param validUntilTs until when the key may be used, in milliseconds since the epoch: for a
 *     current key the response's {@code valid_until_ts} capped at seven days after the fetch, for
 *     an old key its {@code expired_ts}
 * @param expiredTs the {@code expired_ts} of a key listed under {@code old_verify_keys}; empty for a
 *     current key
 * @param fetchedTs when the response holding the key was fetched
 */
public record StoredServerKey(
        ServerName server,
        SigningKeyId keyId,
        VerifyKey key,
        long validUntilTs,
        OptionalLong expiredTs,
        long fetchedTs) {
    /** Requires every part. */
    public StoredServerKey {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiredTs, "expiredTs");
    }

    /** The key with the time until which it may be used, as request and event checks need it. */
    public ServerKey toServerKey() {
        return new ServerKey(key, validUntilTs);
    }
}
